"""A damaged history database: set aside, what can be read recovered, the app starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_llm.core.paths import AppPaths
from desktop_llm.core.services import open_store
from desktop_llm.core.store import Store


def _history(db: Path, conversations: int = 30) -> None:
    with Store(db) as store:
        for n in range(conversations):
            c = store.create_conversation(f"chat {n}")
            store.add_message(c.id, "user", f"问题 {n} " + "词 " * 200)
            store.add_message(c.id, "assistant", f"answer {n} " + "word " * 200)


def _run_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKTOP_LLM_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_file_that_is_not_a_database_is_set_aside_and_the_app_starts(tmp_path: Path) -> None:
    """Before: 'unexpected error (DatabaseError … sqlalche.me …)' and no way forward."""
    home = tmp_path / "home"
    db = AppPaths.from_env({"DESKTOP_LLM_HOME": str(home)}).ensure().db_path
    db.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    done = _run_cli(home, "history", "list")
    assert done.returncode == 0, done.stderr
    assert "The history database was damaged. It was set aside, unchanged, as" in done.stderr
    assert "Traceback" not in done.stderr and "sqlalche.me" not in done.stderr
    (aside,) = db.parent.glob("*.damaged-*")
    assert aside.read_bytes().startswith(b"this is not a database")  # kept as it was
    assert "0 conversations with 0 messages" in done.stderr
    again = _run_cli(home, "history", "list")  # the new file is sound: nothing to say
    assert again.returncode == 0 and again.stderr == ""


@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_what_can_be_read_from_a_damaged_file_is_recovered(tmp_path: Path, damage: str) -> None:
    db = tmp_path / "history.sqlite3"
    _history(db)
    size = db.stat().st_size
    with db.open("r+b") as f:
        if damage == "truncated":
            f.truncate(size * 2 // 3)
        else:
            f.seek(size // 2)
            f.write(b"\xff" * 8192)  # two pages in the middle
    store, recovery = open_store(db)
    try:
        assert recovery is not None
        assert recovery.damaged_path.exists() and recovery.damaged_path != db
        assert 0 < recovery.conversations <= 30
        assert 0 < recovery.messages <= 60
        assert store.integrity_check() == "ok"
        kept = store.list_conversations()
        assert len(kept) == recovery.conversations
        # What was recovered is whole and searchable.
        first = store.messages(kept[-1].id)
        assert first and first[0].content.startswith("问题")
        assert store.search("answer")
    finally:
        store.close()


def test_a_sound_file_is_opened_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    _history(db, 2)
    store, recovery = open_store(db)
    store.close()
    assert recovery is None and list(tmp_path.glob("*.damaged-*")) == []
