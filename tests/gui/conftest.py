"""pytest-qt fixtures for the window, over a private data directory per test.

The window runs the real starter model. Replies are kept short (max_tokens) so the suite
stays fast on a laptop CPU.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

from pytestqt.qtbot import QtBot

# Before anything imports Qt: no display needed, and the same look on every machine.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_llm.core.paths import HOME_ENV
from desktop_llm.core.services import Services, open_services
from desktop_llm.ui.common.worker import busy_pools
from desktop_llm.ui.main_window import MainWindow
from tests.helpers.gui import SHORT_REPLY_TOKENS, WindowFactory, close_window, write_settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(root))
    write_settings(
        root,
        **{
            "generation.max_tokens": SHORT_REPLY_TOKENS,
            "engine.threads": max(1, min(4, os.cpu_count() or 1)),
            "engine.context_length": 1024,
        },
    )
    return root


@pytest.fixture
def make_window(home: Path, qtbot: QtBot) -> Iterator[WindowFactory]:
    """Builds windows over `home`; each is closed and its services shut at teardown."""
    opened: list[tuple[MainWindow, Services]] = []

    def make(*, preload: bool = False, show: bool = True, welcome: bool = False) -> MainWindow:
        services = open_services()
        window = MainWindow(services, preload=preload, welcome=welcome)
        opened.append((window, services))
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    yield make
    for window, services in opened:
        close_window(window, services)


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window()


def _active_timers() -> list[QTimer]:
    timers: list[QTimer] = []
    for widget in QApplication.allWidgets():
        timers += [t for t in widget.findChildren(QTimer) if t.isActive()]
    return timers


@pytest.fixture(autouse=True)
def no_leftovers(qapp: QApplication) -> Iterator[None]:
    """Fails a test that leaves a ui thread running, a timer ticking or a worker process."""
    yield
    QApplication.processEvents()
    problems: list[str] = []
    threads = busy_pools()
    if threads:
        problems.append(f"background work still running: {[t.objectName() for t in threads]}")
    timers = _active_timers()
    if timers:
        names = [f"{t.parent().__class__.__name__}.{t.objectName() or 'timer'}" for t in timers]
        problems.append(f"QTimers still active: {names}")
    children = multiprocessing.active_children()
    if children:
        problems.append(f"child processes still running: {[c.name for c in children]}")
        for child in children:
            child.kill()
            child.join(5)
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()
    if problems:
        pytest.fail("; ".join(problems))
