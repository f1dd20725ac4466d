"""Errors reach the user in plain words, in the window; the app start-up path works."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_llm import app as app_module
from desktop_llm.core.errors import UserError
from desktop_llm.core.services import open_services
from desktop_llm.ui.common.model_picker import MANAGE
from desktop_llm.ui.main_window import MainWindow
from tests.gui.conftest import REPLY_TIMEOUT_MS, close_window, requires_model


def test_no_model_installed_is_explained(qtbot: QtBot, home: Path) -> None:
    services = open_services()
    services.registry.include_bundled = False
    window = MainWindow(services)
    qtbot.addWidget(window)
    try:
        assert "No model is installed" in window.banner.text()
        # Nothing to pick, but the picker still offers the way to get a model.
        assert window.model_picker.current_name() is None and not window.model_picker.names()
        assert window.model_picker.findData(MANAGE) >= 0 and window.model_picker.isEnabled()
        with qtbot.waitSignal(window.job_failed, timeout=REPLY_TIMEOUT_MS) as blocker:
            qtbot.keyClicks(window.composer.editor, "hello?")
            qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
        assert "No model is installed" in blocker.args[0]
        qtbot.waitUntil(lambda: not window.reply_busy)
        assert "No model is installed" in window.banner.text()
        assert "Traceback" not in window.banner.text()
        # What the user typed is kept, in the database and in the view.
        stored = window.store.messages(window.current_id)
        assert [m.content for m in stored] == ["hello?"]
        assert [w.text() for w in window.chat_view.message_widgets()] == ["hello?"]
    finally:
        close_window(window, services)


def test_excepthook_logs_and_shows_plain_words(qtbot: QtBot) -> None:
    shown: list[str] = []
    previous = app_module.install_excepthook(shown.append)
    try:
        sys.excepthook(ValueError, ValueError("bad thing"), None)
        sys.excepthook(UserError, UserError("The file is not a model."), None)
        qtbot.waitUntil(lambda: len(shown) == 2)
    finally:
        sys.excepthook = previous
    assert shown[0].startswith("Something went wrong (ValueError: bad thing)")
    assert "log file" in shown[0]
    assert shown[1] == "The file is not a model."


@requires_model
def test_run_app_opens_the_window_and_closes_cleanly(qtbot: QtBot, home: Path) -> None:
    seen: list[MainWindow] = []

    def close_when_ready() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].isVisible():
            seen.append(windows[0])
            windows[0].model_ready.connect(lambda _e: windows[0].close())
        else:
            QTimer.singleShot(50, close_when_ready)

    QTimer.singleShot(0, close_when_ready)
    previous_hook = sys.excepthook
    assert app_module.run_app([]) == 0
    assert sys.excepthook is previous_hook
    assert seen and not seen[0].isVisible()
    assert not seen[0].windowIcon().isNull()
    # The model was preloaded at start and the status line said so.
    assert seen[0].status_line.model_label.text().startswith("Model:")


def test_icon_exists() -> None:
    assert app_module.ICON_PATH.is_file()
    assert not app_module.app_icon().isNull()


@pytest.fixture(autouse=True)
def _restore_app_names(qapp: QApplication) -> Iterator[None]:
    name = qapp.applicationName()
    yield
    qapp.setApplicationName(name)
