"""Bar charts of energy per day, model or task for the energy dashboard (QtCharts).

Each chart picks its own unit (J, kJ or Wh) from its largest bar, so the axis reads
"3.2 kJ" rather than "3200". No animations: a chart is redrawn only when the data is
reloaded, and an animation's timer would outlive a closed dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_llm.core.i18n import arg, translate
from desktop_llm.ui.common.style import color, current_scheme
from desktop_llm.ui.common.theme import chart_theme, follow_scheme

# Bars take this share of their slot once there are this many; fewer bars are drawn thinner,
# so that one day of data is not a slab across the whole chart.
BAR_WIDTH, FULL_WIDTH_BARS = 0.6, 5
# Past this many bars their values are left to the tooltip, and the day labels turn upright.
MAX_VALUE_LABELS, UPRIGHT_LABELS = 14, 10
# A category label longer than this is cut with an ellipsis (the full name is in the tooltip).
MAX_LABEL = 28


def energy_unit(joules: Sequence[float]) -> tuple[str, float]:
    """('J' | 'kJ' | 'Wh', joules per unit) so the largest value reads between 1 and ~1000."""
    peak = max(joules, default=0.0)
    if peak >= 3600:
        return "Wh", 3600.0
    if peak >= 1000:
        return "kJ", 1000.0
    return "J", 1.0


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _decimals(peak: float) -> int:
    if peak >= 100:
        return 0
    if peak >= 10:
        return 1
    return 2


class EnergyBarChart(QChartView):
    """One series of bars: a category per day / model / task, joules attributed per bar."""

    def __init__(self, title: str, *, horizontal: bool = False, parent: QWidget | None = None):
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self.title = title
        self.horizontal = horizontal
        self._categories: list[str] = []
        self._joules: list[float] = []
        self.unit = "J"
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.legend().hide()
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.setBackgroundRoundness(4)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(260, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._shown: tuple[Sequence[str], Sequence[str]] = ((), ())
        follow_scheme(self, self._scheme_changed)
        self._chart.setTheme(chart_theme(current_scheme()))
        self.set_data([], [])

    def _scheme_changed(self, scheme: str) -> None:
        # A chart theme resets the series' colours: draw the same data again on it.
        self._chart.setTheme(chart_theme(scheme))
        self.set_data(self._categories, self._joules, *self._shown)

    def categories(self) -> list[str]:
        """The full category keys, in the order drawn (the axis may show them shortened)."""
        return list(self._categories)

    def labels(self) -> list[str]:
        """What each bar is called in the window's language (the tooltips' names)."""
        return list(self._shown[1] or self._shown[0] or self._categories)

    def values(self) -> list[float]:
        """The joules of each bar."""
        return list(self._joules)

    def set_data(
        self,
        categories: Sequence[str],
        joules: Sequence[float],
        labels: Sequence[str] = (),
        tips: Sequence[str] = (),
    ) -> None:
        """labels: what the axis shows per category (default: the category, shortened);
        tips: each bar's name in the tooltip (default: the category)."""
        self._categories = list(categories)
        self._joules = [float(j) for j in joules]
        self._shown = (list(labels), list(tips))
        self.unit, per_unit = energy_unit(self._joules)
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(
            arg(
                translate("EnergyDashboard", "%1 (%2)", "a chart's title and its unit"),
                self.title,
                self.unit,
            )
        )
        shown = [_short(label) for label in (labels or self._categories)]
        values = [j / per_unit for j in self._joules]
        bars = QBarSet(self.title)
        bar_color = QColor(color("bar"))
        bars.setColor(bar_color)
        bars.setBorderColor(bar_color)
        bars.setLabelColor(QColor(color("chart_text")))
        bars.append(values)
        series: QAbstractBarSeries = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setBarWidth(BAR_WIDTH * min(1.0, max(1, len(values)) / FULL_WIDTH_BARS))
        peak = max(values, default=0.0)
        series.setLabelsVisible(len(values) <= MAX_VALUE_LABELS)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(3)
        chart.addSeries(series)
        category_axis = QBarCategoryAxis()
        category_axis.append(shown)
        if not self.horizontal and len(shown) > UPRIGHT_LABELS:
            category_axis.setLabelsAngle(-90)
        value_axis = QValueAxis()
        value_axis.setRange(0.0, peak * 1.2 if peak > 0 else 1.0)
        value_axis.setLabelFormat(f"%.{_decimals(peak)}f")
        value_axis.setTitleText(self.unit)
        value_axis.applyNiceNumbers()
        if self.horizontal:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(category_axis)
        series.attachAxis(value_axis)
        bar = translate(
            "EnergyDashboard", "%1: %2 %3", "a bar in a chart's tooltip: name, value, unit"
        )
        names = list(tips) or self._categories
        self.setToolTip(
            "\n".join(
                arg(bar, name, f"{v:.4g}", self.unit) for name, v in zip(names, values, strict=True)
            )
        )
