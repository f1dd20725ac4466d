"""The mode bar on the left edge of the window: Chat, Translate, Summarize, Sentiment.

Each mode is a page of the window's stack; Ctrl+1..Ctrl+4 pick them (the window's View
menu). Each button wears its icon over its name (resources/icons/actions/<key>.svg). A dot
marks the mode whose run is in progress, so it can be found from elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.ui.common.icons import set_icon

# The titles are marked here and translated where shown: mode_title().
MODES: tuple[tuple[str, str], ...] = (
    ("chat", QT_TRANSLATE_NOOP("ModeSwitcher", "Chat")),
    ("translate", QT_TRANSLATE_NOOP("ModeSwitcher", "Translate")),
    ("summarize", QT_TRANSLATE_NOOP("ModeSwitcher", "Summarize")),
    ("sentiment", QT_TRANSLATE_NOOP("ModeSwitcher", "Sentiment")),
)
BUSY_MARK = " •"
ICON_SIZE = 22


def mode_title(title: str) -> str:
    """A title from MODES in the window's language."""
    return translate("ModeSwitcher", title)


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
        for index, (key, english) in enumerate(MODES):
            title = mode_title(english)
            button = QToolButton()
            button.setObjectName(f"mode_{key}")
            button.setText(title)
            button.setCheckable(True)
            set_icon(button, key)  # resources/icons/actions/<key>.svg
            button.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setToolTip(arg(translate("ModeSwitcher", "%1 (Ctrl+%2)"), title, index + 1))
            # As wide as the widest title (a fixed width cut "Summarize" by its padding).
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setMinimumHeight(52)  # the icon above the title
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.group.addButton(button, index)
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self.buttons[0].setChecked(True)
        # Room for the busy mark on the widest title: marking a run moves nothing.
        widest = 0
        for button in self.buttons:
            button.ensurePolished()
            title = button.text()
            button.setText(title + BUSY_MARK)
            widest = max(widest, button.sizeHint().width())
            button.setText(title)
        for button in self.buttons:
            button.setMinimumWidth(widest)
        self.group.idClicked.connect(self.changed)

    def current(self) -> int:
        return self.group.checkedId()

    def set_current(self, index: int) -> None:
        self.buttons[index].setChecked(True)

    def set_busy(self, key: str | None) -> None:
        """Mark the mode that is running (None: nothing runs)."""
        for (mode, english), button in zip(MODES, self.buttons, strict=True):
            title = mode_title(english)
            button.setText(title + BUSY_MARK if mode == key else title)
