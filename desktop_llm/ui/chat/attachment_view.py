"""The files sent with a message, under its header: name and size, each opening its text.

The text is what the model was given (a PDF's extracted text), shown read-only on demand:
a closed file costs one button, so a chat with long attachments stays light.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from desktop_llm.core.chat.attachments import AttachedFile
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import format_bytes

# An opened file shows at most this many lines; longer texts scroll inside it.
SHOWN_LINES = 12


class AttachedFileView(QWidget):
    """One file: a button with its name and size that opens or closes its text."""

    def __init__(self, file: AttachedFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = file
        self.button = QToolButton()
        self.button.setObjectName("attachedFile")
        self.button.setText(f"{file.name} · {format_bytes(file.size)}")
        self.button.setCheckable(True)
        self.button.setAutoRaise(True)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setToolTip(translate("ChatPage", "Show the text the model was given"))
        self.button.setAccessibleName(arg(translate("ChatPage", "Attached file %1"), file.name))
        self.button.toggled.connect(self._toggle)
        self.text_view: QPlainTextEdit | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    @property
    def expanded(self) -> bool:
        return self.text_view is not None and not self.text_view.isHidden()

    def _toggle(self, shown: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        if shown and self.text_view is None:
            view = QPlainTextEdit()
            view.setReadOnly(True)
            view.setPlainText(self.file.text)
            view.setAccessibleName(arg(translate("ChatPage", "Text of %1"), self.file.name))
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            lines = min(SHOWN_LINES, view.document().blockCount())
            # Chinese falls back to a CJK font whose lines are up to 1.4 times the UI font's:
            # a short text should never need a scroll bar.
            frame = 2 * (view.frameWidth() + view.document().documentMargin())
            view.setFixedHeight(math.ceil(lines * view.fontMetrics().lineSpacing() * 1.4 + frame))
            self._layout.addWidget(view)
            self.text_view = view
            QWidget.setTabOrder(self.button, view)
        if self.text_view is not None:
            self.text_view.setVisible(shown)


class AttachmentList(QWidget):
    """The files of one message, one under the other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self._layout.setSpacing(0)
        self.views: list[AttachedFileView] = []
        self._shown: tuple[AttachedFile, ...] = ()

    def set_files(self, files: Sequence[AttachedFile]) -> None:
        # Token counts may arrive later (stored, not shown): only what is drawn matters.
        shown = tuple((f.name, f.size, f.text) for f in files)
        if shown == tuple((f.name, f.size, f.text) for f in self._shown):
            return
        for view in self.views:
            self._layout.removeWidget(view)
            view.deleteLater()
        self.views = [AttachedFileView(f, self) for f in files]
        for view in self.views:
            self._layout.addWidget(view)
        self._shown = tuple(files)
        self.setVisible(bool(files))

    def tab_stops(self) -> list[QWidget]:
        stops: list[QWidget] = []
        for view in self.views:
            stops.append(view.button)
            if view.text_view is not None:
                stops.append(view.text_view)
        return stops
