"""A history database this process cannot write is listed, not a crash: the CLI in a real
process whose data folder is read-only to it.

Read-only binds root here: the child puts itself in a Landlock sandbox
(tests/helpers/faults_escape.py) where only its config, cache and log folders can be written,
as on a read-only disk. chmod would not bind root, which these tests run as."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_llm.core.store.store import Store
from tests.helpers.faults_escape import landlock_abi, read_only_except

pytestmark = pytest.mark.skipif(landlock_abi() == 0, reason="this kernel has no Landlock")

CLI = [sys.executable, "-m", "desktop_llm"]


def run_read_only(home: Path, *args: str) -> subprocess.CompletedProcess:
    """The CLI with home/data (the database, its folder, the models) read-only to it."""
    writable = [home / name for name in ("config", "cache", "logs")]
    # The folders a first start makes (an unwritable data folder that lacks them is
    # finding 10's, not this test's).
    for folder in [*writable, home / "data" / "models"]:
        folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
        preexec_fn=read_only_except(writable),
    )


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def test_a_read_only_database_is_listed_and_changes_are_refused_in_words(home: Path) -> None:
    data = home / "data"
    with Store(data / "desktop_llm.sqlite3") as store:
        conversation = store.create_conversation("kept on a read-only disk")
        store.add_message(conversation.id, "user", "hello from before")
    before = digest(data)

    listed = run_read_only(home, "history", "list")
    assert listed.returncode == 0, listed.stderr
    assert "kept on a read-only disk" in listed.stdout
    assert "is read-only" in listed.stderr and "changes cannot be saved" in listed.stderr
    shown = run_read_only(home, "history", "show", "1")
    assert shown.returncode == 0 and "hello from before" in shown.stdout

    refused = run_read_only(home, "chat", "hi")
    assert refused.returncode == 1, refused.stderr
    assert "This change cannot be saved" in refused.stderr and "Traceback" not in refused.stderr
    assert "sqlalche.me" not in refused.stderr
    assert digest(data) == before  # not a byte changed, no -wal or -shm left behind


def test_a_live_writers_log_is_read_too(home: Path) -> None:
    """Another process has the file open and its last rows are still in the write-ahead log:
    the read-only reader sees them (SQLite's read-only WAL, not a copy of the file)."""
    with Store(home / "data" / "desktop_llm.sqlite3") as writer:
        writer.create_conversation("only in the log so far")
        assert (home / "data" / "desktop_llm.sqlite3-wal").stat().st_size > 0
        listed = run_read_only(home, "history", "list")
        assert listed.returncode == 0, listed.stderr
        assert "only in the log so far" in listed.stdout
        writer.create_conversation("written after")  # the writer goes on unharmed


def test_a_damaged_read_only_database_is_told_in_words(home: Path) -> None:
    data = home / "data"
    data.mkdir(parents=True)
    (data / "desktop_llm.sqlite3").write_bytes(b"not a database at all " * 500)
    result = run_read_only(home, "history", "list")
    assert result.returncode == 1
    assert "damaged, and read-only" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in data.iterdir()) == ["desktop_llm.sqlite3", "models"]


def test_a_read_only_folder_without_a_database_is_told_in_words(home: Path) -> None:
    result = run_read_only(home, "history", "list")
    assert result.returncode == 1
    assert "is read-only and holds no history database" in result.stderr
    assert "Traceback" not in result.stderr
