"""Chat → Export…: the open chat written as Markdown or JSON, off the GUI thread, the same
document `desktop-llm history export` prints. No model: the chats are stored directly."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_llm.ui.main_window import MainWindow
from tests.gui.chat.test_sidebar import add_chat


def _export_with_the_dialog(qtbot: QtBot, window: MainWindow, path: Path) -> str:
    page = window.chat_page
    window.export_action.trigger()
    dialog = page.export_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    # The chat's title is the suggested name.
    assert Path(dialog.selectedFiles()[0]).name == "Trip plans.md"
    dialog.setDirectory(str(path.parent))
    dialog.selectFile(path.name)
    with qtbot.waitSignal(page.exported, timeout=10_000) as blocker:
        dialog.accept()
    return blocker.args[0]


def test_export_markdown_and_json_from_the_chat_menu(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    chat = add_chat(window, "Trip plans", "Where to?", "```python\nprint('Rome')\n```")
    window.chat_page.open_conversation(chat)
    store = window.services.store

    written = _export_with_the_dialog(qtbot, window, tmp_path / "trip.md")
    assert written == str(tmp_path / "trip.md")
    assert Path(written).read_text("utf-8") == store.export_conversation(chat, "md")
    assert str(tmp_path / "trip.md") in window.status_line.state()

    # The suffix chooses the format; the next dialog opens where the last export went.
    written = _export_with_the_dialog(qtbot, window, tmp_path / "trip.json")
    document = json.loads(Path(written).read_text("utf-8"))
    assert document == json.loads(store.export_conversation(chat, "json"))
    assert [m["content"] for m in document["messages"]][1] == "```python\nprint('Rome')\n```"
    window.export_action.trigger()
    dialog = window.chat_page.export_dialog
    assert dialog is not None
    assert Path(dialog.directory().absolutePath()) == tmp_path
    dialog.reject()


def test_a_failed_export_is_shown_in_the_chat(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    chat = add_chat(window, "Trip plans", "Where to?")
    window.chat_page.open_conversation(chat)
    worker = window.chat_page.export_to(tmp_path / "no such folder" / "trip.md")
    assert worker is not None
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        pass
    assert window.chat_page.banner.isVisible()
    assert "Could not write" in window.chat_page.banner.text()
    assert not (tmp_path / "no such folder").exists()
