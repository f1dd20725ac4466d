"""Chatting in the window with the real starter model: send, stop, crash, restart."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from desktop_llm.core.paths import AppPaths
from desktop_llm.core.store import Store
from desktop_llm.ui.common.worker import busy_pools
from desktop_llm.ui.main_window import MainWindow
from tests.helpers.gui import (
    REPLY_TIMEOUT_MS,
    WindowFactory,
    last_reply,
    requires_model,
    send_and_wait,
    type_and_send,
    wait_for_tokens,
    write_settings,
)

pytestmark = [pytest.mark.model, requires_model]

LONG_PROMPT = "Write a long story about a dragon who learns to bake bread, in ten paragraphs."


def test_first_start_is_ready_to_chat(qtbot: QtBot, window: MainWindow) -> None:
    # An empty database: one empty chat is open and the starter model is picked.
    assert window.chat_page.current_id is not None
    assert window.chat_page.sidebar.ids() == [window.chat_page.current_id]
    assert window.chat_page.model_picker.current_name() is not None

    ended = send_and_wait(qtbot, window, "Say hello in one sentence.")

    assert ended.status == "complete"
    reply = last_reply(window)
    assert reply.text().strip()
    assert reply.body.toPlainText().strip()
    assert [w.role for w in window.chat_page.chat_view.message_widgets()] == ["user", "assistant"]
    stored = window.services.store.messages(window.chat_page.current_id)
    assert [m.role for m in stored] == ["user", "assistant"]
    assert stored[1].status == "complete"
    assert stored[1].content == ended.content
    generation = window.services.store.generation_for(stored[1].id)
    assert generation is not None and generation.completion_tokens > 0
    # The status line reports the model, the device, the speed and the first-token time.
    summary = window.status_line.summary()
    assert "Model:" in summary and "Device:" in summary
    assert "tokens/s" in summary and "First token" in summary
    # The first message named the chat.
    assert window.chat_page.sidebar.titles()[0].startswith("Say hello")


def test_shift_enter_adds_a_line_and_enter_sends(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.chat_page.composer.editor
    qtbot.keyClicks(editor, "line one")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "line two")
    assert editor.toPlainText() == "line one\nline two"
    assert not window.chat_page.reply_busy
    with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert editor.toPlainText() == ""
    qtbot.waitUntil(lambda: not window.chat_page.reply_busy)
    first = window.chat_page.chat_view.message_widgets()[0]
    assert first.text() == "line one\nline two"


def test_escape_stops_the_reply_and_keeps_the_text(
    qtbot: QtBot,
    home: Path,
    make_window: WindowFactory,
) -> None:
    write_settings(home, **{"generation.max_tokens": 400})
    window = make_window()
    type_and_send(qtbot, window, LONG_PROMPT)
    wait_for_tokens(qtbot, window)
    with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        qtbot.keyClick(window.chat_page.composer.editor, Qt.Key.Key_Escape)
    ended = blocker.args[0]
    assert ended.status == "stopped"
    assert ended.content.strip()
    qtbot.waitUntil(lambda: not window.chat_page.reply_busy)

    stored = window.services.store.messages(window.chat_page.current_id)[-1]
    assert stored.status == "stopped"
    assert stored.content == ended.content
    reply = last_reply(window)
    assert reply.text() == ended.content
    assert reply.note.isVisibleTo(window) and reply.note.text().startswith("Stopped")


def test_killed_worker_keeps_partial_reply_and_next_message_works(
    qtbot: QtBot,
    home: Path,
    make_window: WindowFactory,
) -> None:
    write_settings(home, **{"generation.max_tokens": 400})
    window = make_window()
    type_and_send(qtbot, window, LONG_PROMPT)
    wait_for_tokens(qtbot, window)
    pid = window.services.host.pid
    assert pid is not None
    with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        os.kill(pid, signal.SIGKILL)
    ended = blocker.args[0]
    qtbot.waitUntil(lambda: not window.chat_page.reply_busy)

    assert window.isVisible()
    assert ended.status == "interrupted"
    assert ended.content.strip()
    reply = last_reply(window)
    assert reply.note.isVisibleTo(window)
    assert reply.note.text().startswith("Interrupted: the inference process ended")
    assert "kept" in reply.note.text()
    stored = window.services.store.messages(window.chat_page.current_id)[-1]
    assert stored.status == "interrupted"
    assert stored.content == ended.content

    write_settings(home, **{"generation.max_tokens": 24})
    window.services.settings.set("generation.max_tokens", 24)
    ended = send_and_wait(qtbot, window, "Now say hello.")
    assert ended.status == "complete"
    assert window.services.store.messages(window.chat_page.current_id)[-1].status == "complete"
    assert window.services.host.pid not in (None, pid)


def test_conversations_survive_a_restart(
    qtbot: QtBot, home: Path, make_window: WindowFactory
) -> None:
    first = make_window()
    ended = send_and_wait(qtbot, first, "Remember the word pineapple.")
    conversation_id = first.chat_page.current_id
    first.close()
    assert not busy_pools()

    second = make_window()
    assert conversation_id in second.chat_page.sidebar.ids()
    second.chat_page.open_conversation(conversation_id)  # type: ignore[arg-type]
    texts = [w.text() for w in second.chat_page.chat_view.message_widgets()]
    assert texts == ["Remember the word pineapple.", ended.content]


def _click_and_wait(qtbot: QtBot, window: MainWindow, button: object) -> None:
    with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == "complete"
    qtbot.waitUntil(lambda: not window.chat_page.reply_busy)


def test_regenerate_keeps_versions_and_edit_branches_across_a_restart(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    page = window.chat_page
    first = send_and_wait(qtbot, window, "Name a colour.")
    send_and_wait(qtbot, window, "Name a fruit.")
    widgets = page.chat_view.message_widgets()
    assert [w.role for w in widgets] == ["user", "assistant", "user", "assistant"]
    # Every reply can be written again and every message of the user edited.
    assert all(w.regenerate_button.isVisibleTo(window) for w in widgets[1::2])
    assert all(w.edit_button.isVisibleTo(window) for w in widgets[0::2])
    assert not widgets[1].version_label.isVisibleTo(window)

    # Regenerating the first reply: version 2/2 is shown, the turn after it left the screen.
    _click_and_wait(qtbot, window, widgets[1].regenerate_button)
    widgets = page.chat_view.message_widgets()
    assert [w.role for w in widgets] == ["user", "assistant"]
    second_version = widgets[1]
    assert second_version.message_id != first.message_id
    assert second_version.version_label.text() == "2/2"
    assert second_version.version_label.accessibleName() == "Version 2 of 2"
    assert second_version.previous_button.isEnabled()
    assert not second_version.next_button.isEnabled()

    # ‹ brings the first version back, with the turn that followed it.
    qtbot.mouseClick(second_version.previous_button, Qt.MouseButton.LeftButton)
    widgets = page.chat_view.message_widgets()
    assert [w.text() for w in widgets][2] == "Name a fruit."
    assert widgets[1].message_id == first.message_id
    assert widgets[1].version_label.text() == "1/2"

    # Editing the first message: a branch from the start; the original stays as 1/2.
    qtbot.mouseClick(widgets[0].edit_button, Qt.MouseButton.LeftButton)
    assert page.composer.editing and page.composer.text() == "Name a colour."
    page.composer.editor.clear()
    with qtbot.waitSignal(page.reply_finished, timeout=REPLY_TIMEOUT_MS):
        type_and_send(qtbot, window, "Name an animal.")
    qtbot.waitUntil(lambda: not page.reply_busy)
    widgets = page.chat_view.message_widgets()
    assert widgets[0].text() == "Name an animal."
    assert len(widgets) == 2 and widgets[0].version_label.text() == "2/2"
    conversation_id = page.current_id
    window.close()

    # After a restart the same branch is shown and the others are a click away.
    again = make_window()
    again.chat_page.open_conversation(conversation_id)  # type: ignore[arg-type]
    widgets = again.chat_page.chat_view.message_widgets()
    assert widgets[0].text() == "Name an animal."
    qtbot.mouseClick(widgets[0].previous_button, Qt.MouseButton.LeftButton)
    texts = [w.text() for w in again.chat_page.chat_view.message_widgets()]
    assert texts[0] == "Name a colour." and texts[2] == "Name a fruit."
    assert again.chat_page.chat_view.message_widgets()[1].version_label.text() == "1/2"


def test_copy_puts_the_message_on_the_clipboard(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtGui import QGuiApplication

    ended = send_and_wait(qtbot, window, "Say yes.")
    qtbot.mouseClick(last_reply(window).copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == ended.content


def test_closing_while_streaming_stops_everything(
    qtbot: QtBot,
    home: Path,
    make_window: WindowFactory,
) -> None:
    write_settings(home, **{"generation.max_tokens": 400})
    window = make_window()
    type_and_send(qtbot, window, LONG_PROMPT)
    wait_for_tokens(qtbot, window)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 15
    assert not busy_pools()
    assert not window.chat_page.chat_view.render_timer.isActive()
    window.services.close()
    with Store(AppPaths.from_env().db_path) as store:
        reply = store.messages(store.list_conversations()[0].id)[-1]
    assert reply.status == "stopped"
    assert reply.content.strip()


def test_gui_stays_responsive_while_loading_and_streaming(
    qtbot: QtBot,
    home: Path,
    make_window: WindowFactory,
    record_property: Callable[[str, object], None],
) -> None:
    write_settings(home, **{"generation.max_tokens": 48})
    window = make_window()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    # Typed before the probe starts: keyClicks blocks the loop itself while it types.
    qtbot.keyClicks(window.chat_page.composer.editor, "Tell me about the sea in three sentences.")
    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    last[0] = time.perf_counter()
    probe.start()
    try:
        # The model is not loaded yet: this covers the load, the prompt and the stream.
        with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS):
            qtbot.keyClick(window.chat_page.composer.editor, Qt.Key.Key_Return)
    finally:
        probe.stop()
    assert window.services.store.messages(window.chat_page.current_id)[-1].status == "complete"
    max_gap_ms = max(gaps) * 1000
    record_property("max_gui_gap_ms", round(max_gap_ms, 1))
    print(f"\nmax GUI gap while loading and streaming: {max_gap_ms:.1f} ms over {len(gaps)} ticks")
    assert len(gaps) > 20
    assert max_gap_ms < 500


def test_each_reply_says_what_it_cost(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    ended = send_and_wait(qtbot, window, "Name a fruit.")
    assert ended.energy is not None and ended.energy.joules_gross > 0
    reply = last_reply(window)
    line = reply.cost.text()
    # No meter here: the estimate, labelled as one, with its carbon and speed.
    assert reply.cost.isVisibleTo(window)
    assert line.startswith("≈ ") and " J" in line and "CO2e" in line
    assert "tok/s" in line and line.endswith("estimate")
    assert "Estimated, not measured" in reply.cost.toolTip()
    assert "g CO2e per kWh" in reply.cost.toolTip()

    # Reopened later, the stored record gives the same line.
    conversation_id = window.chat_page.current_id
    assert conversation_id is not None
    window.new_chat()
    window.chat_page.open_conversation(conversation_id)
    assert last_reply(window).cost.text() == line
