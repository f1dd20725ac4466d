"""The mode bar: Chat, Translate, Summarize, Sentiment; one engine run at a time."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox
from pytestqt.qtbot import QtBot

from desktop_llm.core.tasks.events import TaskEnded
from desktop_llm.ui.main_window import MainWindow
from tests.helpers.gui import REPLY_TIMEOUT_MS, requires_model, switch_with_keys

LONG_PROMPT = "Write a long story about a dragon who learns to bake bread, in ten paragraphs."


def test_ctrl_digits_switch_between_chat_and_tasks(qtbot: QtBot, window: MainWindow) -> None:
    assert window.mode() == "chat"
    for key, mode, panel in (
        (Qt.Key.Key_2, "translate", window.panels["translate"]),
        (Qt.Key.Key_3, "summarize", window.panels["summarize"]),
        (Qt.Key.Key_4, "sentiment", window.panels["sentiment"]),
    ):
        switch_with_keys(qtbot, window, key)
        assert window.mode() == mode
        assert window.current_panel() is panel
        assert window.switcher.current() == window.pages.currentIndex()
        assert panel.isVisible()
    switch_with_keys(qtbot, window, Qt.Key.Key_1)
    assert window.mode() == "chat"
    assert window.current_panel() is None
    assert window.chat_page.composer.editor.hasFocus()

    qtbot.mouseClick(window.switcher.buttons[2], Qt.MouseButton.LeftButton)
    assert window.mode() == "summarize"
    assert window.panels["summarize"].input.hasFocus()


def test_settings_group_the_task_presets(window: MainWindow) -> None:
    dialog = window.open_settings()
    titles = [box.title() for box in dialog.findChildren(QGroupBox)]
    for title in ("Translation", "Summaries", "Sentiment"):
        assert title in titles
    assert "translate.default_model" in dialog.editors
    dialog.reject()


@pytest.mark.model
@requires_model
def test_chat_and_tasks_never_run_at_once(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.panels["translate"]
    panel.set_languages("en", "fr")
    panel.input.setPlainText("Good morning, my friend.")

    # While the chat writes, a task is refused in plain words.
    with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS):
        window.chat_page.send(LONG_PROMPT)
        assert window.chat_page.reply_busy
        window.show_mode(1)
        assert not panel.run()
        assert "chat is still writing" in panel.banner.text()
        assert not window.task_runner.busy
    qtbot.waitUntil(lambda: not window.chat_page.reply_busy, timeout=REPLY_TIMEOUT_MS)

    # While a task runs, a chat message waits for it (stored, shown waiting), and the mode
    # bar marks the task; the message is answered once the run ends.
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run()
        assert window.switcher.buttons[1].text().endswith("•")
        window.show_mode(0)
        window.chat_page.send("Hello there")
        assert window.chat_page.reply_busy and window.chat_page.waiting_here
        view = window.chat_page.chat_view
        assert view.waiting_shown
        assert view.waiting_label.text() == "Waits for the translation to finish"
        assert window.chat_page.composer.send_button.text() == "Send"
    assert isinstance(blocker.args[0], TaskEnded)
    assert window.switcher.buttons[1].text() == "Translate"
    qtbot.waitUntil(lambda: not window.chat_page.reply_busy, timeout=REPLY_TIMEOUT_MS)
    stored = window.services.store.messages(window.chat_page.current_id or 0)
    assert [m.content for m in stored][-2] == "Hello there"
    assert stored[-1].role == "assistant" and stored[-1].status == "complete"


@pytest.mark.model
@requires_model
def test_search_hit_in_a_task_run_opens_its_panel(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.panels["sentiment"]
    panel.single_input.setPlainText("The zeppelin museum was delightful.")
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run()
    ended = blocker.args[0]
    assert isinstance(ended, TaskEnded)
    panel.clear()

    window.chat_page.open_conversation(ended.conversation_id)

    assert window.mode() == "sentiment"
    assert panel.conversation_id == ended.conversation_id
    assert panel.single_input.toPlainText() == "The zeppelin museum was delightful."


def test_closing_while_a_task_runs_stops_it(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.panels["summarize"]
    panel.input.setPlainText("A short text about nothing in particular. " * 20)
    assert panel.run()
    assert window.task_runner.busy
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 15
    assert not window.engine.busy  # the run was stopped and the engine thread has ended


def test_window_errors_show_on_the_page_in_view(qtbot: QtBot, window: MainWindow) -> None:
    # What the app's crash hook calls (app.run_app): the banner of whatever page is shown.
    window.show_error("Something went wrong (ValueError: x).")
    assert window.chat_page.banner.text() == "Something went wrong (ValueError: x)."
    panel = window.show_task("translate")
    window.show_error("The file could not be read.")
    assert panel.banner.text() == "The file could not be read."
