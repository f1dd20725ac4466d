"""The mode bar on the left edge of the window: Chat, Translate, Summarize, Sentiment.

Each mode is a page of the window's stack; Ctrl+1..Ctrl+4 pick them (the window's View
menu). A dot marks the mode whose run is in progress, so it can be found from elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QToolButton, QVBoxLayout, QWidget

MODES: tuple[tuple[str, str], ...] = (
    ("chat", "Chat"),
    ("translate", "Translate"),
    ("summarize", "Summarize"),
    ("sentiment", "Sentiment"),
)
BUSY_MARK = " •"


class ModeSwitcher(QFrame):
    changed = Signal(int)  # the index of the mode the user picked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskSwitcher")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QToolButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 10, 6, 10)
        layout.setSpacing(4)
        for index, (key, title) in enumerate(MODES):
            button = QToolButton()
            button.setObjectName(f"mode_{key}")
            button.setText(title)
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setToolTip(f"{title} (Ctrl+{index + 1})")
            button.setMinimumWidth(96)
            button.setMinimumHeight(34)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.group.addButton(button, index)
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self.buttons[0].setChecked(True)
        self.group.idClicked.connect(self.changed)

    def current(self) -> int:
        return self.group.checkedId()

    def set_current(self, index: int) -> None:
        self.buttons[index].setChecked(True)

    def set_busy(self, key: str | None) -> None:
        """Mark the mode that is running (None: nothing runs)."""
        for (mode, title), button in zip(MODES, self.buttons, strict=True):
            button.setText(title + BUSY_MARK if mode == key else title)
