"""A column chart of how many items got each label, drawn with QPainter.

The sentiment panel keeps the counts itself (one increment per result) and hands them over
at most a few times a second, so a long batch costs the chart nothing per item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_llm.core.tasks.sentiment import LABELS
from desktop_llm.ui.tasks.sentiment_bars import (
    label_color,
    label_count,
    label_title,
    list_separator,
)


class LabelCountChart(QWidget):
    def __init__(self, labels: Sequence[str] = LABELS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = tuple(labels)
        self._counts: dict[str, int] = dict.fromkeys(self.labels, 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 140)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        new = {label: int(counts.get(label, 0)) for label in self.labels}
        if new != self._counts:
            self._counts = new
            self.setToolTip(
                list_separator().join(label_count(n, label) for label, n in new.items())
            )
            self.update()

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        line = metrics.height()
        total = sum(self._counts.values())
        peak = max(self._counts.values(), default=0)
        columns = len(self.labels)
        slot = self.width() / columns
        bar_width = min(64.0, slot * 0.6)
        chart_top = line + 6  # room for the count above the tallest bar
        chart_bottom = self.height() - line - 6  # room for the label below
        chart_height = max(1.0, chart_bottom - chart_top)
        painter.setPen(palette.mid().color())
        painter.drawLine(0, int(chart_bottom), self.width(), int(chart_bottom))
        for index, label in enumerate(self.labels):
            count = self._counts[label]
            center = slot * index + slot / 2
            height = chart_height * count / peak if peak else 0.0
            bar = QRectF(center - bar_width / 2, chart_bottom - height, bar_width, height)
            if count:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(label_color(label))
                painter.drawRoundedRect(bar, 3, 3)
            share = f" ({count / total:.0%})" if total else ""
            painter.setPen(palette.windowText().color())
            painter.drawText(
                QRectF(center - slot / 2, bar.top() - line - 2, slot, line),
                Qt.AlignmentFlag.AlignCenter,
                f"{count}{share}",
            )
            painter.drawText(
                QRectF(center - slot / 2, chart_bottom + 3, slot, line),
                Qt.AlignmentFlag.AlignCenter,
                label_title(label),
            )
        painter.end()
