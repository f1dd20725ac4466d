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

from desktop_llm.core.store import SentimentItem, Store
from tests.helpers.energy_records import local_energy, remote_energy, stored_reply

CLI = [sys.executable, "-m", "desktop_llm"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def _fill(home: Path) -> dict[str, int]:
    with Store(home / "data" / "desktop_llm.sqlite3") as store:
        ids = {
            "local": stored_reply(store, "small.gguf", local_energy(5.0)),
            "remote": stored_reply(store, "qwen3-30b", remote_energy(None), engine="box"),
            "estimate": stored_reply(store, "qwen3-30b", remote_energy(100.0), engine="box"),
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
