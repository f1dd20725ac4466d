"""A one-line label that gives up width gracefully: what does not fit ends in "…".

A plain QLabel asks for its whole text as its minimum width, so one long title, file name
or status text can force the window wider (or make it grow by itself when the text
arrives). An ElidedLabel asks for its text as its preferred width but only for a few
characters as its minimum; what does not fit is cut with "…", and the tooltip then shows
the whole text (before the label's own tooltip, if it has one). text() stays the whole
text, so nothing that reads the label sees the cut.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QLabel, QToolTip, QWidget

from desktop_llm.core.display_text import plain_rich_text

# The minimum width, in average characters, unless the caller says otherwise.
MIN_CHARS = 6


class ElidedLabel(QLabel):
    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        min_chars: int = MIN_CHARS,
        elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(text, parent)
        self._min_chars = min_chars
        self._elide = elide
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        chars = self.fontMetrics().averageCharWidth() * self._min_chars
        width = min(hint.width(), chars + margins.left() + margins.right())
        return QSize(width, hint.height())

    def elided_text(self) -> str:
        """The text as it is drawn now (the whole text when it fits)."""
        width = self.contentsRect().width() - 2 * self.indent_px()
        return self.fontMetrics().elidedText(self.text(), self._elide, max(0, width))

    def is_elided(self) -> bool:
        return bool(self.text()) and self.elided_text() != self.text()

    def indent_px(self) -> int:
        return max(0, self.indent())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.text():
            return
        painter = QPainter(self)
        rect = self.contentsRect().adjusted(self.indent_px(), 0, -self.indent_px(), 0)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.elided_text(),
            QPalette.ColorRole.WindowText,
        )
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.is_elided():
            assert isinstance(event, QHelpEvent)
            # The text is data (a title, a file name, a model): shown as rich text that says it
            # literally; the label's own tooltip as it was set.
            shown = plain_rich_text(self.text())
            own = self.toolTip()
            if own:
                rich = QtGuiNamespace.mightBeRichText(own)
                shown += own if rich else plain_rich_text(own)
            QToolTip.showText(event.globalPos(), shown)
            return True
        return super().event(event)
