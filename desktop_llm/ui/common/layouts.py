"""Page layouts that several features share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget


def with_sidebar(page: QWidget, sidebar: QWidget, main: QWidget, sidebar_width: int) -> None:
    """Lay page out as a list on the left (conversations, past runs) and its work on the
    right; the right side takes what the window gains, and neither side can be hidden."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(sidebar)
    splitter.addWidget(main)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([sidebar_width, 1100 - sidebar_width])
    splitter.setChildrenCollapsible(False)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
