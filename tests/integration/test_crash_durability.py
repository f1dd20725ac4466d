"""Killing the app process mid-reply loses at most the last second of text, never the DB."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

from desktop_llm.core.store import Store


def test_database_survives_the_app_being_killed_mid_stream(home: Path) -> None:
    env = os.environ.copy()
    cli = [sys.executable, "-m", "desktop_llm", "chat"]
    earlier = subprocess.run(
        [*cli, "Say hello.", "--max-tokens", "8"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert earlier.returncode == 0, earlier.stderr

    app = subprocess.Popen(
        [
            *cli,
            "Write a very long story about a lighthouse keeper.",
            "--max-tokens",
            "3000",
            "--temperature",
            "0.9",
            "--conversation",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    db_path = home / "data" / "desktop_llm.sqlite3"
    partial = ""
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            db = sqlite3.connect(db_path, timeout=5)
            row = db.execute(
                "select content from messages where status='streaming' order by id desc limit 1"
            ).fetchone()
            db.close()
            if row and len(row[0]) > 40:
                partial = row[0]
                break
            time.sleep(0.1)
        assert partial, "the reply was never saved while streaming"
        workers = psutil.Process(app.pid).children(recursive=True)
        os.kill(app.pid, signal.SIGKILL)
        app.wait(timeout=10)
    finally:
        if app.poll() is None:
            app.kill()
        app.stdout.close()  # type: ignore[union-attr]
        app.stderr.close()  # type: ignore[union-attr]

    # The orphaned inference process notices and ends by itself.
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []

    store = Store(db_path)
    try:
        assert store.integrity_check() == "ok"
        assert store.mark_interrupted_replies() == 1
        messages = store.messages(1)
        assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
        assert [m.status for m in messages] == ["complete", "complete", "complete", "interrupted"]
        assert messages[0].content == "Say hello."
        assert messages[3].content.startswith(partial)
    finally:
        store.close()
