"""Ctrl+C in `desktop-llm chat` (a real process, the real starter model): the reply is
stopped as the window's Stop button stops it and keeps exactly what was printed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

CHAT = [
    sys.executable,
    "-m",
    "desktop_llm",
    "chat",
    "Write a very long story about a lighthouse keeper.",
    "--max-tokens",
    "3000",
    "--temperature",
    "0.9",
]


def _start() -> subprocess.Popen[bytes]:
    return subprocess.Popen(CHAT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _read_until(app: subprocess.Popen[bytes], chars: int) -> bytes:
    """Stdout as it streams, until it holds `chars` bytes (the reply is under way)."""
    assert app.stdout is not None
    got = b""
    deadline = time.monotonic() + 120
    while len(got) < chars:
        assert time.monotonic() < deadline, "the reply never streamed"
        chunk = os.read(app.stdout.fileno(), 4096)
        assert chunk, app.stderr.read().decode() if app.stderr else "stdout closed"
        got += chunk
    return got


def _replies(home: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3", timeout=5)
    try:
        return db.execute(
            "select status, content from messages where role='assistant' order by id"
        ).fetchall()
    finally:
        db.close()


def _engine(app: subprocess.Popen[bytes]) -> psutil.Process:
    """The inference process (the other child is multiprocessing's resource tracker)."""
    (engine,) = [
        child
        for child in psutil.Process(app.pid).children()
        if "resource_tracker" not in " ".join(child.cmdline())
    ]
    return engine


def _finish(app: subprocess.Popen[bytes], workers: list[psutil.Process]) -> None:
    if app.poll() is None:
        app.kill()
    for worker in workers:
        if worker.is_running():
            worker.kill()


def test_ctrl_c_stops_the_reply_and_keeps_what_was_printed(home: Path) -> None:
    app = _start()
    workers: list[psutil.Process] = []
    try:
        printed = _read_until(app, 60)
        workers = psutil.Process(app.pid).children(recursive=True)
        app.send_signal(signal.SIGINT)
        rest, err = app.communicate(timeout=30)
    finally:
        _finish(app, workers)
    printed += rest
    assert app.returncode == 130
    stderr = err.decode()
    assert "stopped" in stderr and "Traceback" not in stderr
    # The reply then the line break that ends it: the stored text is what the terminal shows.
    assert printed.endswith(b"\n")
    assert _replies(home) == [("stopped", printed[:-1].decode())]
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []


def test_a_second_ctrl_c_exits_at_once_and_still_keeps_the_printed_text(home: Path) -> None:
    app = _start()
    workers: list[psutil.Process] = []
    try:
        printed = _read_until(app, 60)
        workers = psutil.Process(app.pid).children(recursive=True)
        # A worker that cannot honour the first Ctrl+C (frozen as if deep in llama.cpp).
        _engine(app).suspend()
        app.send_signal(signal.SIGINT)
        time.sleep(0.3)
        app.send_signal(signal.SIGINT)
        sent_at = time.monotonic()
        rest, err = app.communicate(timeout=30)
        took = time.monotonic() - sent_at
    finally:
        _finish(app, workers)
    printed += rest
    assert app.returncode == 130
    assert took < 1.5  # not the cancel's 2 s grace, nor the watchdog's limit
    stderr = err.decode()
    assert "stopped" in stderr and "Traceback" not in stderr
    assert _replies(home) == [("stopped", printed.decode())]
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
