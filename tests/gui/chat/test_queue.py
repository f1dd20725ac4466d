"""One engine, visible turns: a message sent while another chat's reply runs waits, is
shown waiting in its own chat, and is answered after the running reply (real model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.gui import (
    REPLY_TIMEOUT_MS,
    WindowFactory,
    requires_model,
    type_and_send,
    wait_for_tokens,
    write_settings,
)

pytestmark = [pytest.mark.model, requires_model]

LONG_PROMPT = "Write a long story about a dragon who learns to bake bread, in ten paragraphs."


def test_a_message_sent_during_another_reply_waits_and_is_answered_after_it(
    qtbot: QtBot, home: Path, make_window: WindowFactory
) -> None:
    write_settings(home, **{"generation.max_tokens": 60})
    window = make_window()
    page = window.chat_page
    type_and_send(qtbot, window, LONG_PROMPT)
    wait_for_tokens(qtbot, window)
    first_chat = page.current_id
    assert page.composer.send_button.text() == "Stop"

    page.sidebar.new_requested.emit()  # a new, empty chat
    assert page.current_id != first_chat
    # Nothing runs here: Send, not Stop, and the message actions of this chat are its own.
    assert page.composer.send_button.text() == "Send"
    assert not page.chat_view.waiting_line.isVisibleTo(window)

    ended = []
    page.reply_finished.connect(lambda event: ended.append(event))
    type_and_send(qtbot, window, "Say hello in one sentence.")
    second_chat = page.current_id
    # Not dropped: stored at once, shown, and waiting for the reply in the first chat.
    assert page.composer.editor.toPlainText() == ""
    stored = window.services.store.messages(second_chat)
    assert [m.role for m in stored] == ["user"]
    assert stored[0].content == "Say hello in one sentence."
    assert [w.text() for w in page.chat_view.message_widgets()] == ["Say hello in one sentence."]
    assert page.chat_view.waiting_shown
    first_title = window.services.store.get_conversation(first_chat).title
    assert page.chat_view.waiting_label.text() == f"Waits for the reply in “{first_title}”"
    assert page.composer.send_button.text() == "Send"  # Esc here would not stop the other
    assert page._active is not None and page._active[0] == first_chat  # still writing there

    qtbot.waitUntil(lambda: len(ended) == 2, timeout=2 * REPLY_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.reply_busy, timeout=REPLY_TIMEOUT_MS)
    # Answered after the running reply, in its own chat.
    first_reply = window.services.store.messages(first_chat)[-1]
    second = window.services.store.messages(second_chat)
    assert ended[0].message_id == first_reply.id
    assert [m.role for m in second] == ["user", "assistant"]
    assert ended[1].message_id == second[1].id
    assert second[1].status == "complete" and second[1].content.strip()
    assert first_reply.id < second[1].id
    assert not page.chat_view.waiting_line.isVisibleTo(window)
    assert [w.role for w in page.chat_view.message_widgets()] == ["user", "assistant"]


def test_a_waiting_message_can_be_cancelled_without_stopping_the_running_reply(
    qtbot: QtBot, home: Path, make_window: WindowFactory
) -> None:
    write_settings(home, **{"generation.max_tokens": 60})
    window = make_window()
    page = window.chat_page
    type_and_send(qtbot, window, LONG_PROMPT)
    wait_for_tokens(qtbot, window)
    first_chat = page.current_id
    page.sidebar.new_requested.emit()
    type_and_send(qtbot, window, "Count to three.")
    second_chat = page.current_id
    assert page.chat_view.waiting_shown

    ended = []
    page.reply_finished.connect(lambda event: ended.append(event))
    qtbot.keyClick(page.composer.editor, Qt.Key.Key_Escape)  # Esc takes it back
    assert page.composer.editor.toPlainText() == "Count to three."
    assert window.services.store.messages(second_chat) == []
    assert window.services.store.get_conversation(second_chat).title == "New chat"
    assert not page.chat_view.waiting_line.isVisibleTo(window)
    assert page._active is not None and page._active[0] == first_chat

    # Sent again and taken back with the Cancel on the waiting line.
    qtbot.keyClick(page.composer.editor, Qt.Key.Key_Return)
    assert page.chat_view.waiting_shown
    qtbot.mouseClick(page.chat_view.waiting_button, Qt.MouseButton.LeftButton)
    assert page.composer.editor.toPlainText() == "Count to three."
    assert window.services.store.messages(second_chat) == []

    qtbot.waitUntil(lambda: not page.reply_busy, timeout=REPLY_TIMEOUT_MS)
    assert len(ended) == 1 and ended[0].status == "complete"  # the running one was not stopped
    assert window.services.store.messages(first_chat)[-1].status == "complete"


def test_a_message_left_waiting_when_the_app_closed_is_kept_and_can_be_answered(
    qtbot: QtBot, home: Path, make_window: WindowFactory
) -> None:
    write_settings(home, **{"generation.max_tokens": 400})
    window = make_window()
    page = window.chat_page
    type_and_send(qtbot, window, LONG_PROMPT)
    wait_for_tokens(qtbot, window)
    page.sidebar.new_requested.emit()
    type_and_send(qtbot, window, "Say hello in one sentence.")
    waiting_chat = page.current_id
    window.close()  # the running reply is stopped; the waiting one never starts

    again = make_window()
    again.chat_page.open_conversation(waiting_chat)
    view = again.chat_page.chat_view
    assert [w.text() for w in view.message_widgets()] == ["Say hello in one sentence."]
    assert view.unanswered_shown and view.waiting_button.text() == "Answer"
    with qtbot.waitSignal(again.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(view.waiting_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == "complete"
    qtbot.waitUntil(lambda: not again.chat_page.reply_busy, timeout=REPLY_TIMEOUT_MS)
    assert [m.role for m in again.services.store.messages(waiting_chat)] == ["user", "assistant"]
    assert not view.waiting_line.isVisibleTo(again)
