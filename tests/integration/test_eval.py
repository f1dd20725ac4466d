"""`desktop-llm eval` and the evaluation runner with the real starter model: each item run
by the task services and metered like any reply, stored, stopped and resumed."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_llm.core.evaluation import scores
from desktop_llm.core.evaluation.datasets import load_sentiment
from desktop_llm.core.evaluation.runner import (
    EvalItemDone,
    EvalModelEnded,
    EvalStarted,
    Evaluator,
)
from desktop_llm.core.services import open_services

CLI = [sys.executable, "-m", "desktop_llm"]
STARTER = "SmolLM2-135M-Instruct.Q4_1"


@pytest.fixture
def quick(home: Path, starter_model: Path) -> Path:
    """The `home` data folder, with summaries kept short (the starter model is slow at them
    on a busy machine)."""
    path = home / "config" / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(settings | {"summarize.max_tokens": 32}), encoding="utf-8")
    return home


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def documents(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def database(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "data" / "desktop_llm.sqlite3", timeout=10)


def hidden_runs(home: Path) -> int:
    with database(home) as db:
        query = "select count(*) from conversations where evaluation_run_id is not null"
        return db.execute(query).fetchone()[0]


def check_energy(doc: dict, home: Path) -> None:
    """Every item's joules are the energy records of its own task run, and the run's figure
    is their mean: metered by ModelHost like any reply, never invented."""
    assert doc["joules_per_item"] > 0
    assert isinstance(doc["measured"], bool)
    assert doc["measured"] == ("estimate" not in doc["meter_source"])
    with database(home) as db:
        items = db.execute(
            "select conversation_id, joules from evaluation_items where run_id = ?",
            (doc["run_id"],),
        ).fetchall()
        assert len(items) == doc["items"]
        quiet: list[float] = []
        for conversation_id, joules in items:
            (recorded, contended) = db.execute(
                "select sum(e.joules_attributed), max(e.contended) from energy e"
                " join generations g on g.id = e.generation_id"
                " join messages m on m.id = g.message_id where m.conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            assert joules == pytest.approx(recorded) and joules > 0
            if not contended:
                quiet.append(joules)
    # The run's figure leaves out items measured while the CPUs were busy with other work,
    # unless every item was.
    basis = quiet or [j for _, j in items]
    assert doc["joules_per_item"] == pytest.approx(sum(basis) / len(basis))
    assert doc["details"]["energy_quiet"] == bool(quiet)
    assert doc["details"]["energy_contended_items"] == len(items) - len(quiet)


def test_sentiment_gives_a_score_and_joules_per_item_and_leaves_the_history_alone(
    quick: Path,
) -> None:
    result = run("eval", "--task", "sentiment", "--limit", "6", "--json")
    assert result.returncode == 0, result.stderr
    (doc,) = documents(result.stdout)
    assert (doc["model"], doc["task"], doc["metric"], doc["quantization"]) == (
        STARTER, "sentiment", "macro_f1", "Q4_1",
    )  # fmt: skip
    assert (doc["items"], doc["status"], doc["device"]) == (6, "complete", "CPU")
    assert len(doc["sha256"]) == 64 and doc["threads"] >= 1 and doc["seconds"] > 0
    check_energy(doc, quick)
    # The score is the set's macro-F1 over what the model answered, item by item.
    items = load_sentiment().limited(6)
    with database(quick) as db:
        outputs = dict(
            db.execute(
                "select item_id, output from evaluation_items where run_id = ?", (doc["run_id"],)
            ).fetchall()
        )
    assert set(outputs.values()) <= {"positive", "negative", "neutral"}
    expected = scores.sentiment_scores(items, [outputs[i.id] for i in items])
    assert doc["score"] == pytest.approx(expected.macro_f1)
    assert doc["details"]["accuracy"] == pytest.approx(expected.accuracy)

    # Six task runs were made and metered, none of them in the user's history.
    assert hidden_runs(quick) == 6
    assert json.loads(run("history", "list", "--json").stdout) == []
    assert json.loads(run("history", "search", "battery", "--json").stdout) == []

    # The same command again shows the stored result without running anything.
    again = run("eval", "--task", "sentiment", "--limit", "6")
    assert again.returncode == 0, again.stderr
    assert "already evaluated" in again.stderr and "--restart" in again.stderr
    assert STARTER in again.stdout and "macro_f1" in again.stdout and "6/6" in again.stdout
    assert hidden_runs(quick) == 6


def test_a_stopped_run_resumes_with_only_the_items_not_yet_done(quick: Path) -> None:
    services = open_services()
    try:
        evaluator = Evaluator(services.settings, services.store, services.host)
        first = []
        for event in evaluator.run("sentiment", limit=5):
            first.append(event)
            if isinstance(event, EvalItemDone) and event.done == 2:
                evaluator.cancel()  # as the window's Stop does, from any thread
        (stopped,) = [e.result for e in first if isinstance(e, EvalModelEnded)]
        assert (stopped.status, stopped.items_done, stopped.items) == ("stopped", 2, 5)
        assert stopped.score is not None and stopped.joules_per_item is not None
        made = hidden_runs(quick)
        assert made == 2

        second = list(evaluator.run("sentiment", limit=5))
        (started,) = [e for e in second if isinstance(e, EvalStarted)]
        assert (started.run_id, started.resumed, started.done) == (stopped.run_id, True, 2)
        ids = [item.id for item in load_sentiment().limited(5)]
        assert [e.item_id for e in second if isinstance(e, EvalItemDone)] == ids[2:]
        (ended,) = [e.result for e in second if isinstance(e, EvalModelEnded)]
        assert (ended.run_id, ended.status, ended.items_done) == (stopped.run_id, "complete", 5)
        assert hidden_runs(quick) == made + 3  # only the rest was run

        # --restart: a new run from the first item.
        third = list(evaluator.run("sentiment", limit=1, restart=True))
        (fresh,) = [e for e in third if isinstance(e, EvalStarted)]
        assert not fresh.resumed and fresh.run_id != stopped.run_id
    finally:
        services.close()


def test_ctrl_c_keeps_what_is_done_and_the_same_command_resumes(quick: Path) -> None:
    db_path = quick / "data" / "desktop_llm.sqlite3"
    command = ["eval", "--task", "sentiment", "--limit", "12", "--json"]
    process = subprocess.Popen(
        [*CLI, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 180
        done = 0
        while done < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
            if db_path.exists():
                try:
                    with database(quick) as db:
                        done = db.execute("select count(*) from evaluation_items").fetchone()[0]
                except sqlite3.OperationalError:
                    pass  # not created yet
        assert done >= 2 and process.poll() is None, "the run never stored two items"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait(30)
    assert process.returncode == 130, err
    assert "Run the same command again to resume" in err
    (stopped,) = documents(out)
    with database(quick) as db:
        kept = db.execute("select count(*) from evaluation_items").fetchone()[0]
        (status,) = db.execute("select status from evaluation_runs").fetchone()
    assert status == "stopped" and stopped["status"] == "stopped"
    assert 2 <= kept < 12 and stopped["items"] == kept
    made = hidden_runs(quick)

    again = run(*command)
    assert again.returncode == 0, again.stderr
    assert f"{kept} of 12 items already done" in again.stderr
    (doc,) = documents(again.stdout)
    assert (doc["run_id"], doc["status"], doc["items"]) == (stopped["run_id"], "complete", 12)
    assert hidden_runs(quick) == made + 12 - kept


@pytest.mark.parametrize(
    ("task", "metric", "details"),
    [
        ("translate", "chrf", {"chrf", "by_direction", "signature"}),
        ("summarize", "key_fact_recall", {"recall", "facts_kept", "facts_total"}),
    ],
)
def test_translation_and_summaries(quick: Path, task: str, metric: str, details: set) -> None:
    result = run("eval", "--task", task, "--limit", "2", "--json")
    assert result.returncode == 0, result.stderr
    (doc,) = documents(result.stdout)
    assert (doc["task"], doc["metric"], doc["items"], doc["status"]) == (
        task, metric, 2, "complete",
    )  # fmt: skip
    assert 0 <= doc["score"] <= 1 and details <= set(doc["details"])
    check_energy(doc, quick)
    with database(quick) as db:
        outputs = [r[0] for r in db.execute("select output from evaluation_items")]
    assert all(o.strip() for o in outputs)  # the model's own text, stored
    if task == "translate":  # one item each way: en->zh-Hans, zh-Hans->en
        assert set(doc["details"]["by_direction"]) == {"en->zh-Hans", "zh-Hans->en"}


def test_a_model_that_cannot_be_evaluated_is_named_and_the_others_go_on(quick: Path) -> None:
    result = run("eval", "--task", "sentiment", "--limit", "1", "-m", "no-such-model", STARTER)
    assert result.returncode == 1
    assert "no-such-model was not evaluated: No model named 'no-such-model'" in result.stderr
    assert STARTER in result.stdout and "1/1" in result.stdout and "complete" in result.stdout
