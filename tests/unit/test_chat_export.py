"""Exporting a conversation to a file (the window's Chat → Export…), over a real SQLite file:
the same documents the CLI prints, written whole or not at all."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.export import (
    export_file_name,
    export_text,
    format_for_path,
    write_export,
)
from desktop_llm.core.errors import UserError
from desktop_llm.core.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data" / "desktop_llm.sqlite3") as opened:
        yield opened


def _chat(store: Store) -> int:
    conversation = store.create_conversation("旅行计划: Rome/Paris?")
    store.add_message(conversation.id, "user", "Plan a trip.\r\nTwo lines.")
    store.add_message(conversation.id, "assistant", "```python\nprint('路线')\n```")
    return conversation.id


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_the_file_holds_exactly_the_document(store: Store, tmp_path: Path, fmt: str) -> None:
    chat = _chat(store)
    path = tmp_path / f"out.{fmt}"
    assert write_export(store, chat, fmt, path) == path  # type: ignore[arg-type]
    # Byte for byte what `desktop-llm history export` prints (no newline translation).
    assert path.read_bytes() == export_text(store, chat, fmt).encode("utf-8")  # type: ignore[arg-type]
    if fmt == "json":
        assert json.loads(path.read_text("utf-8"))["title"] == "旅行计划: Rome/Paris?"
    else:
        assert "```python\nprint('路线')\n```" in path.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_an_existing_file_is_replaced_and_readable_by_others(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    path.write_text("old", encoding="utf-8")
    write_export(store, _chat(store), "md", path)
    assert path.read_text("utf-8").startswith("# 旅行计划")
    if os.name == "posix":
        umask = os.umask(0)
        os.umask(umask)
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failed_write_says_why_and_leaves_nothing(store: Store, tmp_path: Path) -> None:
    chat = _chat(store)
    with pytest.raises(UserError, match=r"Could not write .*missing"):
        write_export(store, chat, "md", tmp_path / "missing" / "chat.md")
    with pytest.raises(UserError):
        write_export(store, 9999, "md", tmp_path / "chat.md")
    assert list(tmp_path.glob("*.md")) == [] and list(tmp_path.glob(".*.part")) == []


def test_file_names_and_formats() -> None:
    assert export_file_name("旅行计划: Rome/Paris?", "md") == "旅行计划 Rome Paris.md"
    assert export_file_name("  ..  ", "json") == "chat.json"
    assert export_file_name("a\tb\x00c", "md") == "a b c.md"
    assert len(export_file_name("x" * 300, "json")) == 80 + len(".json")
    assert format_for_path("notes.JSON") == "json"
    assert format_for_path("notes.markdown") == "md"
    assert format_for_path("notes.txt", "json") == "json"
