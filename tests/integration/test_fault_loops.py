"""Fault-injection loops: the app killed over and over, and started many times at once.

These are the loops issue 13 asks to hold: 20 kills (the CLI, then its inference process,
in turn) mid-reply, and 10 processes started together on a fresh data folder. After every
kill the database is sound, the user's message is there, and the reply holds what was
printed up to the last save interval (the CLI saves the growing reply every
SAVE_INTERVAL_S); a process that loses only its worker saves everything it printed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from desktop_llm.core.model_host import SAVE_INTERVAL_S
from desktop_llm.core.store import Store

PROMPTS = (
    "Write a very long story about a lighthouse keeper.",
    "写一个关于西湖边一位老渔夫的长故事。",
)
# What a test on two busy cores allows beyond the save interval: a token arriving late, an
# SQLite write waiting for a reader. The loss actually seen is printed with -s.
SLACK_S = 1.0


@dataclass
class Printed:
    """Everything a process writes to stdout, with the time each piece arrived."""

    pieces: list[tuple[float, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def text_before(self, moment: float) -> str:
        with self.lock:
            data = b"".join(chunk for at, chunk in self.pieces if at <= moment)
        return data.decode("utf-8", errors="ignore")

    def text(self) -> str:
        return self.text_before(float("inf"))


def _read_all(stream: object, printed: Printed) -> None:
    while True:
        chunk = os.read(stream.fileno(), 4096)  # type: ignore[attr-defined]
        if not chunk:
            return
        with printed.lock:
            printed.pieces.append((time.monotonic(), chunk))


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    printed: Printed
    reader: threading.Thread

    def worker(self) -> psutil.Process:
        """The inference child (a multiprocessing spawn), not the resource tracker."""
        for child in psutil.Process(self.process.pid).children(recursive=True):
            if any("spawn_main" in part for part in child.cmdline()):
                return child
        raise AssertionError("no inference process")

    def wait(self) -> tuple[int, str]:
        self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        assert self.process.stdout is not None and self.process.stderr is not None
        self.process.stdout.close()
        err = self.process.stderr.read().decode("utf-8", errors="replace")
        self.process.stderr.close()
        return self.process.returncode, err


def _start_chat(env: dict[str, str], prompt: str) -> Running:
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop_llm", "chat", prompt, "--max-tokens", "2000"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    printed = Printed()
    reader = threading.Thread(target=_read_all, args=(process.stdout, printed), daemon=True)
    reader.start()
    return Running(process, printed, reader)


def _wait_for_text(running: Running, chars: int) -> None:
    deadline = time.monotonic() + 90
    while len(running.printed.text().strip()) < chars:
        assert running.process.poll() is None, "the reply ended before it could be cut"
        assert time.monotonic() < deadline, "the reply never started"
        time.sleep(0.05)


def test_twenty_kills_lose_nothing_but_the_last_save_interval(home: Path) -> None:
    env = {**os.environ, "DESKTOP_LLM_HOME": str(home)}
    db_path = home / "data" / "desktop_llm.sqlite3"
    losses: list[float] = []
    for round_ in range(20):
        prompt = PROMPTS[round_ % 2]
        running = _start_chat(env, f"{prompt} ({round_})")
        _wait_for_text(running, 60)
        kill_worker = round_ % 2 == 1
        if kill_worker:
            running.worker().kill()
            code, err = running.wait()
            assert code != 0
            assert "Traceback" not in err, err
            assert err.strip(), "the CLI said nothing about the lost inference process"
        else:
            # The worker of a killed CLI must end by itself: watch it go.
            worker = running.worker()
            killed_at = time.monotonic()
            running.process.send_signal(signal.SIGKILL)
            running.wait()
            _gone, alive = psutil.wait_procs([worker], timeout=15)
            assert alive == [], "the inference process outlived its killed CLI"
        printed = running.printed.text().strip()

        with Store(db_path) as store:
            assert store.integrity_check() == "ok"
            store.mark_interrupted_replies()
            conversations = store.list_conversations()
            assert len(conversations) == round_ + 1
            messages = store.messages(max(c.id for c in conversations))
        assert [m.role for m in messages] == ["user", "assistant"]
        assert messages[0].content == f"{prompt} ({round_})"
        assert messages[0].status == "complete"
        reply = messages[1]
        assert reply.status == "interrupted"
        saved = reply.content.strip()
        assert printed.startswith(saved), (saved, printed)
        if kill_worker:
            # The CLI lived on: it kept every character it had received.
            assert saved == printed
        else:
            kept_before = running.printed.text_before(killed_at - SAVE_INTERVAL_S - SLACK_S).strip()
            assert saved.startswith(kept_before), (saved, kept_before)
            losses.append(_seconds_lost(running.printed, saved, killed_at))
    print(f"\nCLI kills: text lost at most {max(losses):.2f} s before the kill")


def _seconds_lost(printed: Printed, saved: str, killed_at: float) -> float:
    """How long before the kill the first unsaved character was printed."""
    for at, _chunk in printed.pieces:
        if len(printed.text_before(at).strip()) > len(saved):
            return max(0.0, killed_at - at)
    return 0.0


def test_ten_processes_started_together_on_a_fresh_folder_all_finish(tmp_path: Path) -> None:
    """Five chats and five listings at once on a folder that does not exist yet."""
    home = tmp_path / "fresh"
    env = {**os.environ, "DESKTOP_LLM_HOME": str(home)}
    base = [sys.executable, "-m", "desktop_llm"]
    commands = [
        [*base, "chat", f"Say the number {n}.", "--max-tokens", "4"]
        if n % 2 == 0
        else [*base, "history", "list", "--json"]
        for n in range(10)
    ]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for command in commands
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode("utf-8", errors="replace")

    with Store(home / "data" / "desktop_llm.sqlite3") as store:
        assert store.integrity_check() == "ok"
        conversations = store.list_conversations()
        assert sorted(c.title for c in conversations) == [
            f"Say the number {n}." for n in range(0, 10, 2)
        ]
        for conversation in conversations:
            statuses = [m.status for m in store.messages(conversation.id)]
            assert statuses == ["complete", "complete"]
    assert not list((home / "data").glob("*.migrating"))
