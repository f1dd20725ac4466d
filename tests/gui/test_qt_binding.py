"""The Qt binding itself must not corrupt the interpreter (PySide6 6.12.0 did)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def test_calling_qt_methods_keeps_none_alive(qtbot: QtBot) -> None:
    # PySide6 6.12.0 released one reference to None per call of a method returning void;
    # on Python 3.11 None's count then reaches zero and the process aborts (none_dealloc).
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.setEnabled(True)
        widget.setToolTip("x")
    assert sys.getrefcount(None) >= before - 50
