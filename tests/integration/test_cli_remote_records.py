"""What the CLI prints for a remote engine's stored replies: energy not measured here (no
figure, never 0) or an estimate from the user's figure, counted apart in the report; and a
sentiment run whose server gave no probabilities (null in JSON, empty in CSV, a dash in the
table). The records are written with the real Store; the CLI runs as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from desktop_llm.core.energy.monitor import EnergyRecord
from desktop_llm.core.store import SentimentItem, Store

CLI = [sys.executable, "-m", "desktop_llm"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def _local_energy(joules: float) -> dict[str, object]:
    return {
        "source": "rapl",
        "scope": "package",
        "label": "RAPL package",
        "measured": True,
        "joules_gross": joules,
        "joules_net": joules,
        "joules_attributed": joules,
        "watts_avg": 10.0,
        "baseline_watts": 1.0,
        "seconds": 1.0,
        "cpu_share": None,
        "carbon_g": joules / 1000,
        "intensity_g_per_kwh": 400.0,
        "intensity_source": "test",
        "low_confidence": False,
    }


def _remote_energy(watts: float | None) -> dict[str, object]:
    record = EnergyRecord.remote(
        2.0, watts=watts, intensity_g_per_kwh=400.0, intensity_source="test", engine_name="box"
    )
    return record.as_dict()


def _chat(store: Store, model: str, energy: dict[str, object], engine: str = "local") -> int:
    conversation = store.create_conversation("chat")
    store.add_message(conversation.id, "user", "hello")
    reply = store.start_reply(conversation.id)
    store.finish_reply(reply.id, "answer", "complete")
    store.add_generation(
        reply.id,
        model_file=model,
        device="cpu" if engine == "local" else "remote",
        prompt_tokens=10,
        completion_tokens=20,
        tokens_per_second=30.0,
        engine=engine,
        engine_host=None if engine == "local" else "box.lan",
        energy=energy,
    )
    return conversation.id


def _fill(home: Path) -> dict[str, int]:
    with Store(home / "data" / "desktop_llm.sqlite3") as store:
        ids = {
            "local": _chat(store, "small.gguf", _local_energy(5.0)),
            "remote": _chat(store, "qwen3-30b", _remote_energy(None), engine="box"),
            "estimate": _chat(store, "qwen3-30b", _remote_energy(100.0), engine="box"),
        }
        run_ = store.create_conversation("Reviews", task="sentiment")
        store.add_message(run_.id, "user", "2 lines")
        store.add_sentiment_items(
            run_.id,
            [
                SentimentItem(position=0, text="great", label="positive", source={"t": "great"}),
                SentimentItem(
                    position=1,
                    text="bad",
                    label="negative",
                    p_positive=0.1,
                    p_negative=0.8,
                    p_neutral=0.1,
                    source={"t": "bad"},
                ),
            ],
        )
        ids["sentiment"] = run_.id
    return ids


def test_the_report_counts_remote_replies_apart(home: Path) -> None:
    _fill(home)
    table = run("energy", "report", "--by", "model")
    assert table.returncode == 0, table.stderr
    assert "1 reply not measured: remote" in table.stdout
    assert "1 reply on a remote engine estimated from your figure" in table.stdout
    assert "200.0 J" in table.stdout  # 100 W × 2 s, said apart
    document = json.loads(run("energy", "report", "--json").stdout)
    overall = document["total"]
    assert overall["joules_attributed"] == 5.0 and overall["generations"] == 1
    assert overall["remote_not_measured_generations"] == 1
    assert overall["remote_estimated_generations"] == 1
    rows = list(csv.DictReader(io.StringIO(run("energy", "report", "--csv").stdout)))
    remote = next(r for r in rows if r["model"] == "qwen3-30b")
    assert remote["remote_not_measured_generations"] == "1"
    assert remote["joules_per_1k_tokens"] == ""


def test_history_shows_the_engine_and_that_energy_was_not_measured(home: Path) -> None:
    ids = _fill(home)
    shown = run("history", "show", str(ids["remote"]))
    assert shown.returncode == 0, shown.stderr
    assert "qwen3-30b · remote engine box (box.lan)" in shown.stdout
    assert "the remote machine's energy was not measured here" in shown.stdout
    local = run("history", "show", str(ids["local"])).stdout
    assert "small.gguf · local · ≈" not in local and "small.gguf · local · 5.00 J" in local
    estimate = run("history", "show", str(ids["estimate"])).stdout
    assert "estimate from your figure of 100 W" in estimate
    exported = json.loads(run("history", "show", str(ids["remote"]), "--json").stdout)
    generation = exported["messages"][1]["generation"]
    assert (generation["engine"], generation["engine_host"]) == ("box", "box.lan")
    assert generation["energy"]["joules_attributed"] is None


def test_a_sentiment_run_without_probabilities_exports_empty_cells(home: Path) -> None:
    ids = _fill(home)
    result = run("history", "export", str(ids["sentiment"]), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["label"] for r in rows] == ["positive", "negative"]
    assert (rows[0]["p_positive"], rows[0]["p_negative"], rows[0]["p_neutral"]) == ("", "", "")
    assert rows[1]["p_negative"] == "0.8000"
    target = home / "results.csv"
    written = run("history", "export", str(ids["sentiment"]), "-o", str(target))
    assert written.returncode == 0, written.stderr
    assert target.read_text(encoding="utf-8").splitlines()[1] == "great,positive,,,"
