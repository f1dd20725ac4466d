"""Three horizontal bars: each sentiment label's probability, drawn with QPainter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.tasks.sentiment import LABELS
from desktop_llm.ui.common.style import color

# The labels stay English in the data (the model writes them, the store and the CSV keep
# them); the window shows them in its language, context "Sentiment".
LABEL_NAMES = (
    QT_TRANSLATE_NOOP("Sentiment", "positive"),
    QT_TRANSLATE_NOOP("Sentiment", "negative"),
    QT_TRANSLATE_NOOP("Sentiment", "neutral"),
)


def label_color(label: str) -> QColor:
    """The label's colour in the current scheme (read at paint time: a theme change
    repaints with the other scheme's)."""
    return QColor(color(label if label in LABELS else "other"))


def label_name(label: str) -> str:
    """A label as the window shows it in a sentence or a table cell: "positive"."""
    return translate("Sentiment", label)


def label_title(label: str) -> str:
    """A label on its own (a heading, a bar's name): "Positive"."""
    name = label_name(label)
    return name[:1].upper() + name[1:]


def list_separator() -> str:
    return translate("SentimentPanel", ", ", "between the items of a list")


def label_count(count: int, label: str) -> str:
    """A label's count, "12 positive", for the line under the chart and its tooltip."""
    return arg(
        translate("SentimentPanel", "%1 %2", "a count and a sentiment label: 12 positive"),
        f"{count:,}",
        label_name(label),
    )


def no_probabilities() -> str:
    """Why a label has no probabilities (a remote server without log-probabilities)."""
    return translate(
        "SentimentPanel",
        "The server gave no probabilities: only its label is known, and none is made up.",
    )


class LabelBars(QWidget):
    """One row per label: its name, a bar as long as its probability, the percentage."""

    ROW_HEIGHT = 26

    def __init__(self, labels: Sequence[str] = LABELS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = tuple(labels)
        self._values: dict[str, float | None] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.ROW_HEIGHT * len(self.labels))

    def set_values(self, values: Mapping[str, float | None]) -> None:
        """The labels' probabilities; None where the engine gave none (shown as "—")."""
        self._values = {
            label: None if (value := values.get(label)) is None else float(value)
            for label in self.labels
        }
        if any(value is None for value in self._values.values()):
            self.setToolTip(no_probabilities())
            self.update()
            return
        tips = list_separator().join(
            arg(
                translate("SentimentPanel", "%1 %2", "a sentiment label and its probability"),
                label_name(label),
                f"{value:.1%}",
            )
            for label, value in self._values.items()
            if value is not None
        )
        self.setToolTip(tips)
        self.update()

    def clear(self) -> None:
        self._values = {}
        self.setToolTip("")
        self.update()

    def values(self) -> dict[str, float | None]:
        return dict(self._values)

    def sizeHint(self) -> QSize:
        return QSize(320, self.ROW_HEIGHT * len(self.labels))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        names = {label: label_title(label) for label in self.labels}
        name_width = max(metrics.horizontalAdvance(name) for name in names.values())
        value_width = metrics.horizontalAdvance("100.0 %")
        gap = 8
        bar_left = name_width + gap
        bar_width = max(10, self.width() - bar_left - value_width - gap)
        palette = self.palette()
        for row, label in enumerate(self.labels):
            top = row * self.ROW_HEIGHT
            text_rect = QRectF(0, top, name_width, self.ROW_HEIGHT)
            painter.setPen(palette.windowText().color())
            left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.drawText(text_rect, left, names[label])
            track = QRectF(bar_left, top + 6, bar_width, self.ROW_HEIGHT - 12)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.midlight())
            painter.drawRoundedRect(track, 4, 4)
            value = self._values.get(label)
            if value is not None and value > 0:
                fill = QRectF(track)
                fill.setWidth(max(2.0, track.width() * min(1.0, value)))
                painter.setBrush(label_color(label))
                painter.drawRoundedRect(fill, 4, 4)
            painter.setPen(palette.windowText().color())
            painter.drawText(
                QRectF(bar_left + bar_width + gap, top, value_width, self.ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                "—" if value is None else f"{value * 100:.1f} %",
            )
        painter.end()
