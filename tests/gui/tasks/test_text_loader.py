"""PlainTextLoader: a large text goes into an editor in slices, whole and unchanged."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop_llm.ui.tasks.text_loader import SLICE_CHARS, PlainTextLoader


def _editor(qtbot: QtBot) -> tuple[QPlainTextEdit, PlainTextLoader]:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    return edit, PlainTextLoader(edit)


def test_large_text_arrives_in_slices_and_whole(qtbot: QtBot) -> None:
    edit, loader = _editor(qtbot)
    line = "第一段。The harbour, the budget — and trees.\n"
    text = line * (5 * SLICE_CHARS // len(line))
    done: list[bool] = []
    loader.set_text(text, lambda: done.append(True))
    assert loader.filling and edit.isReadOnly()
    assert len(edit.toPlainText()) < len(text)  # not all at once
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert not loader.filling and not edit.isReadOnly()
    assert edit.toPlainText() == text
    assert loader.text() is text  # untouched: no copy out of the document
    assert not edit.document().isUndoAvailable()


def test_an_edit_after_loading_is_what_text_returns(qtbot: QtBot) -> None:
    edit, loader = _editor(qtbot)
    loader.set_text("short text")
    assert edit.toPlainText() == "short text"
    edit.appendPlainText("more")
    assert loader.text() == "short text\nmore"


def test_a_new_text_replaces_one_still_filling(qtbot: QtBot) -> None:
    edit, loader = _editor(qtbot)
    first: list[bool] = []
    loader.set_text("a\n" * (3 * SLICE_CHARS), lambda: first.append(True))
    second: list[bool] = []
    loader.set_text("b\n" * (2 * SLICE_CHARS), lambda: second.append(True))
    qtbot.waitUntil(lambda: bool(second), timeout=10_000)
    qtbot.wait(20)
    assert not first
    assert edit.toPlainText() == "b\n" * (2 * SLICE_CHARS)


def test_read_only_state_survives_a_fill(qtbot: QtBot) -> None:
    edit, loader = _editor(qtbot)
    edit.setReadOnly(True)
    done: list[bool] = []
    loader.set_text("x\n" * (2 * SLICE_CHARS), lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert edit.isReadOnly()


def test_cancel_stops_the_fill(qtbot: QtBot) -> None:
    edit, loader = _editor(qtbot)
    done: list[bool] = []
    loader.set_text("y\n" * (4 * SLICE_CHARS), lambda: done.append(True))
    loader.cancel()
    length = len(edit.toPlainText())
    qtbot.wait(50)
    assert not done and not loader.filling and not edit.isReadOnly()
    assert len(edit.toPlainText()) == length
    assert loader.text() == edit.toPlainText()
