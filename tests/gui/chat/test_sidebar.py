"""The conversation sidebar: new, rename, delete with confirmation, full-text search."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_llm.ui.main_window import MainWindow


def add_chat(window: MainWindow, title: str, *texts: str) -> int:
    """A stored conversation with messages, made without the model."""
    conversation = window.services.store.create_conversation(title)
    for i, text in enumerate(texts):
        window.services.store.add_message(
            conversation.id, "user" if i % 2 == 0 else "assistant", text
        )
    window.chat_page.refresh_sidebar()
    return conversation.id


def click_row(qtbot: QtBot, window: MainWindow, conversation_id: int) -> None:
    item = window.chat_page.sidebar.item_for(conversation_id)
    assert item is not None
    rect = window.chat_page.sidebar.list.visualItemRect(item)
    qtbot.mouseClick(
        window.chat_page.sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )


def test_clicking_a_chat_opens_it(qtbot: QtBot, window: MainWindow) -> None:
    chat = add_chat(window, "Trip plans", "Where should we go?", "To the **mountains**.")
    click_row(qtbot, window, chat)
    assert window.chat_page.current_id == chat
    widgets = window.chat_page.chat_view.message_widgets()
    assert [w.text() for w in widgets] == ["Where should we go?", "To the **mountains**."]
    # Replies are Markdown: the stars are rendered, not shown.
    assert widgets[1].body.toPlainText().strip() == "To the mountains."
    assert window.chat_page.title_label.text() == "Trip plans"


def test_new_chat_with_ctrl_n(qtbot: QtBot, window: MainWindow) -> None:
    first = window.chat_page.current_id
    # An empty chat is re-used rather than piling up empty ones.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.chat_page.current_id == first
    window.services.store.add_message(first, "user", "hello")  # type: ignore[arg-type]
    window.chat_page.reload_current()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.chat_page.current_id != first
    assert window.chat_page.sidebar.ids()[0] == window.chat_page.current_id
    assert not window.chat_page.chat_view.message_widgets()


def test_rename(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = add_chat(window, "Old name", "hi")
    window.chat_page.open_conversation(chat)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  Better   name ", True))
    window.chat_page.sidebar.select(chat)
    qtbot.mouseClick(window.chat_page.sidebar.rename_button, Qt.MouseButton.LeftButton)
    assert window.services.store.get_conversation(chat).title == "Better name"
    assert "Better name" in window.chat_page.sidebar.titles()
    assert window.chat_page.title_label.text() == "Better name"


def test_delete_asks_first(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = add_chat(window, "Keep me", "one")
    doomed = add_chat(window, "Delete me", "two")
    window.chat_page.open_conversation(doomed)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(
            _parent: object, _title: str, text: str, *_a: object, **_k: object
        ) -> QMessageBox.StandardButton:
            asked.append(text)
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(window.chat_page.sidebar.delete_button, Qt.MouseButton.LeftButton)
    assert asked and "Delete me" in asked[0]
    assert doomed in window.chat_page.sidebar.ids()

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    window.chat_page.sidebar.select(doomed)
    qtbot.mouseClick(window.chat_page.sidebar.delete_button, Qt.MouseButton.LeftButton)
    assert doomed not in window.chat_page.sidebar.ids()
    assert keep in window.chat_page.sidebar.ids()
    assert window.chat_page.current_id != doomed
    assert all(c.id != doomed for c in window.services.store.list_conversations())


def test_search_finds_a_message(qtbot: QtBot, window: MainWindow) -> None:
    add_chat(window, "Cooking", "How long do I boil an egg?", "About nine minutes.")
    wanted = add_chat(window, "Astronomy", "What is a nebula?", "A cloud of gas and dust.")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.chat_page.sidebar.search_field.hasFocus()
    qtbot.keyClicks(window.chat_page.sidebar.search_field, "nebula")
    qtbot.waitUntil(lambda: window.chat_page.sidebar.ids() == [wanted])
    assert "1 chat" in window.chat_page.sidebar.results_label.text()
    click_row(qtbot, window, wanted)
    assert window.chat_page.current_id == wanted
    assert window.chat_page.chat_view.message_widgets()[0].text() == "What is a nebula?"

    window.chat_page.sidebar.search_field.clear()
    qtbot.waitUntil(lambda: len(window.chat_page.sidebar.ids()) == 3)
    assert not window.chat_page.sidebar.results_label.isVisibleTo(window)


def test_search_with_no_match_says_so(qtbot: QtBot, window: MainWindow) -> None:
    add_chat(window, "Cooking", "How long do I boil an egg?")
    window.chat_page.sidebar.search_field.setText("zebra")
    qtbot.waitUntil(lambda: window.chat_page.sidebar.results_label.isVisibleTo(window))
    assert window.chat_page.sidebar.ids() == []
    assert "No chat contains" in window.chat_page.sidebar.results_label.text()
