""" "Which model?": the energy dashboard's tab that puts each evaluated model's quality beside
the joules it spent per item, per task, with the Pareto front drawn and said in words.

The results are the stored evaluations (core/evaluation/results.py: the newest complete run
of each model file), read off the GUI thread. "Run evaluation…" runs the task's built-in mini
evaluation (core/evaluation/runner.py) as a foreground job on the window's EngineQueue, so
it never competes with a reply or a task run for the one inference process; Stop cancels it
after the current item, and the next run of the same models resumes where it stopped (the
runner finds the stored run again).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractAxis,
    QChart,
    QChartView,
    QLineSeries,
    QLogValueAxis,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.energy.report import format_joules
from desktop_llm.core.evaluation.datasets import load_set
from desktop_llm.core.evaluation.results import (
    TASK_NAMES,
    EvalResult,
    front_sentence,
    latest_results,
    pareto_front,
    points,
)
from desktop_llm.core.evaluation.runner import (
    EvalItemDone,
    EvalModelEnded,
    EvalModelFailed,
    EvalStarted,
    Evaluator,
)
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.model_host import ModelLoading
from desktop_llm.core.models import InstalledModel
from desktop_llm.core.services import Services
from desktop_llm.ui.common.engine_queue import EngineJob, EngineQueue
from desktop_llm.ui.common.model_picker import model_item
from desktop_llm.ui.common.style import color, current_scheme, set_tone
from desktop_llm.ui.common.theme import chart_theme, follow_scheme
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool

log = logging.getLogger(__name__)

TAB_TITLE = QT_TRANSLATE_NOOP("WhichModel", "Which model?")
TASKS = ("sentiment", "translate", "summarize")
TASK_TITLES = {
    "sentiment": QT_TRANSLATE_NOOP("WhichModel", "Sentiment"),
    "translate": QT_TRANSLATE_NOOP("WhichModel", "Translation"),
    "summarize": QT_TRANSLATE_NOOP("WhichModel", "Summaries"),
}
# The y axis: what the score is (runner.METRICS).
METRIC_NAMES = {
    "sentiment": QT_TRANSLATE_NOOP("WhichModel", "Quality (macro-F1)"),
    "translate": QT_TRANSLATE_NOOP("WhichModel", "Quality (chrF / 100)"),
    "summarize": QT_TRANSLATE_NOOP("WhichModel", "Quality (share of key facts kept)"),
}
# The x axis: what one item is.
ENERGY_AXIS = {
    "sentiment": QT_TRANSLATE_NOOP("WhichModel", "Energy per text (J)"),
    "translate": QT_TRANSLATE_NOOP("WhichModel", "Energy per sentence (J)"),
    "summarize": QT_TRANSLATE_NOOP("WhichModel", "Energy per article (J)"),
}
# Joules spread over more than this factor are drawn on a logarithmic axis.
LOG_SPREAD = 20.0
POINT_SIZE = 11.0


def task_words(task: str) -> str:
    """The task as a sentence names it: 'sentiment', 'translation', 'summaries'."""
    return translate("Evaluation", TASK_NAMES[task]) if task in TASK_NAMES else task


def result_name(result: EvalResult) -> str:
    """A point's label: the model's name, with its quantization when the name lacks it."""
    quant = result.quantization
    if quant and quant.casefold() not in result.model.casefold():
        return f"{result.model} {quant}"
    return result.model


def plotted(results: Sequence[EvalResult]) -> list[EvalResult]:
    """The results that have both a score and an energy figure (the others cannot be drawn)."""
    return [r for r in results if r.score is not None and r.joules_per_item is not None]


def point_tooltip(result: EvalResult, on_front: bool) -> str:
    """What hovering a point says: score, joules per item, items, measured or estimated."""
    assert result.score is not None and result.joules_per_item is not None
    if result.measured:
        how = arg(translate("WhichModel", "measured (%1)"), result.meter_source or "")
    else:
        how = translate("WhichModel", "estimated from CPU time, not measured")
    energy = translate("WhichModel", "Energy: %1 per item, %2")
    lines = [
        result_name(result),
        arg(translate("WhichModel", "Score: %1"), points(result.score)),
        arg(energy, format_joules(result.joules_per_item), how),
        arg(translate("WhichModel", "Items: %1"), result.items_done),
    ]
    if on_front:
        lines.append(
            translate("WhichModel", "On the front: no other model scores as well for less energy")
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Loaded:
    task: str
    results: list[EvalResult]
    set_size: int | None  # the items of the task's full set (None: the set could not be read)


def read_results(services: Services, task: str) -> Loaded:
    """The stored results and the size of the task's set (off the GUI thread)."""
    results = latest_results(services.store, task)
    try:
        size: int | None = len(load_set(task).items)  # type: ignore[arg-type]
    except Exception:  # a broken resource must not hide the results
        log.exception("could not read the %s evaluation set", task)
        size = None
    return Loaded(task, results, size)


# --- the chart -----------------------------------------------------------------------------


class QualityEnergyChart(QChartView):
    """Quality (up) against joules per item (left is less), one point per model, the Pareto
    front as a line through its points, cheapest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self.task = "sentiment"
        self.results: list[EvalResult] = []
        self.front: list[EvalResult] = []
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.setBackgroundRoundness(4)
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.others_series = QScatterSeries()
        self.front_series = QScatterSeries()
        self.front_line = QLineSeries()
        self._labels: list[tuple[QGraphicsSimpleTextItem, EvalResult]] = []
        self._chart.plotAreaChanged.connect(lambda _area: self._place_labels())
        follow_scheme(self, self._scheme_changed)
        self._chart.setTheme(chart_theme(current_scheme()))
        self.set_results("sentiment", [])

    def _scheme_changed(self, scheme: str) -> None:
        self._chart.setTheme(chart_theme(scheme))  # resets the series' colours: draw again
        self.set_results(self.task, self.results)

    def set_results(self, task: str, results: Sequence[EvalResult]) -> None:
        self.task = task
        self.results = plotted(results)
        self.front = pareto_front(self.results)
        front_ids = {r.run_id for r in self.front}
        others = [r for r in self.results if r.run_id not in front_ids]
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

        ink = QColor(color("chart_text"))
        front_color, other_color = QColor(color("bar")), QColor(color("neutral"))
        self.front_line = QLineSeries()
        self.front_line.setName(translate("WhichModel", "Pareto front"))
        self.front_line.setPen(QPen(front_color, 2))
        self.front_series = self._scatter(self.front, front_color)
        self.front_series.setName(translate("WhichModel", "On the front"))
        self.others_series = self._scatter(others, other_color)
        self.others_series.setName(translate("WhichModel", "Other models"))
        for r in self.front:
            self.front_line.append(QPointF(r.joules_per_item or 0.0, r.score or 0.0))
        chart.addSeries(self.front_line)
        chart.addSeries(self.others_series)
        chart.addSeries(self.front_series)
        for series in (self.others_series, self.front_series):
            series.hovered.connect(lambda point, state, s=series: self._hovered(s, point, state))

        x_axis = self._energy_axis()
        x_axis.setTitleText(
            translate("WhichModel", ENERGY_AXIS.get(task, ENERGY_AXIS["sentiment"]))
        )
        y_axis = QValueAxis()
        y_axis.setRange(0.0, 1.0)
        y_axis.setTickCount(6)
        y_axis.setLabelFormat("%.1f")
        y_axis.setTitleText(
            translate("WhichModel", METRIC_NAMES.get(task, METRIC_NAMES["sentiment"]))
        )
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.front_line, self.others_series, self.front_series):
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        line = len(self.front) > 1
        self.front_line.setVisible(line)
        chart.legend().setVisible(bool(self.results))
        # One legend entry for the front: the line where there is one, else its point.
        for series, shown in (
            (self.front_line, line),
            (self.front_series, not line),
            (self.others_series, bool(others)),
        ):
            for marker in chart.legend().markers(series):
                marker.setVisible(shown)
        self._make_labels(ink)

    def _scatter(self, results: Sequence[EvalResult], fill: QColor) -> QScatterSeries:
        series = QScatterSeries()
        series.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
        series.setMarkerSize(POINT_SIZE)
        series.setColor(fill)
        series.setBorderColor(fill)
        for r in results:
            series.append(QPointF(r.joules_per_item or 0.0, r.score or 0.0))
        series.setProperty("results", [r.run_id for r in results])
        return series

    def _make_labels(self, ink: QColor) -> None:
        """Each point's name, beside it (placed by _place_labels once the plot is laid out)."""
        for item, _result in self._labels:
            self._chart.scene().removeItem(item)
        self._labels = []
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        for r in self.front + [r for r in self.results if r not in self.front]:
            item = QGraphicsSimpleTextItem(result_name(r), self._chart)
            item.setFont(font)
            item.setBrush(ink)
            item.setZValue(10)
            self._labels.append((item, r))
        self._place_labels()

    def _place_labels(self) -> None:
        """Right of each point (left where the plot ends), moved down or up past a label
        already placed, so that names near each other stay readable."""
        area = self._chart.plotArea()
        placed: list[QRectF] = []
        gap = POINT_SIZE / 2 + 3
        for item, r in self._labels:
            at = self._chart.mapToPosition(
                QPointF(r.joules_per_item or 0.0, r.score or 0.0), self.front_series
            )
            box = item.boundingRect()
            x = at.x() + gap
            if x + box.width() > area.right():
                x = at.x() - gap - box.width()
            y = at.y() - box.height() / 2
            for shift in (0.0, 1.0, -1.0, 2.0, -2.0):
                rect = QRectF(x, y + shift * box.height(), box.width(), box.height())
                if not any(rect.intersects(other) for other in placed):
                    break
            placed.append(rect)
            item.setPos(rect.topLeft())

    def _energy_axis(self) -> QAbstractAxis:
        joules = [r.joules_per_item or 0.0 for r in self.results]
        low, high = min(joules, default=0.0), max(joules, default=0.0)
        if low > 0 and high / low >= LOG_SPREAD:
            log_axis = QLogValueAxis()
            log_axis.setBase(10.0)
            log_axis.setRange(low / 1.6, high * 1.6)
            log_axis.setLabelFormat("%g")
            log_axis.setMinorTickCount(8)
            return log_axis
        axis = QValueAxis()
        axis.setRange(0.0, high * 1.25 if high > 0 else 1.0)
        axis.setLabelFormat("%.3g")
        axis.applyNiceNumbers()
        return axis

    def is_log_scale(self) -> bool:
        return any(isinstance(a, QLogValueAxis) for a in self._chart.axes())

    def point_labels(self) -> list[str]:
        """Every point's label, front first (cheapest first), then the others."""
        return [item.text() for item, _result in self._labels]

    def label_rects(self) -> list[QRectF]:
        """Where the labels are drawn, in the chart's coordinates."""
        return [item.mapRectToParent(item.boundingRect()) for item, _result in self._labels]

    def line_points(self) -> list[tuple[float, float]]:
        """The front line's points in the order drawn: (joules per item, score)."""
        return [(p.x(), p.y()) for p in self.front_line.points()]

    def result_at(self, series: QScatterSeries, point: QPointF) -> EvalResult | None:
        ids = series.property("results") or []
        for index, p in enumerate(series.points()):
            if p == point and index < len(ids):
                return next((r for r in self.results if r.run_id == ids[index]), None)
        return None

    def tooltip_for(self, result: EvalResult) -> str:
        return point_tooltip(result, any(r.run_id == result.run_id for r in self.front))

    def _hovered(self, series: QScatterSeries, point: QPointF, state: bool) -> None:
        result = self.result_at(series, point) if state else None
        if result is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.tooltip_for(result), self)


# --- choosing the models ---------------------------------------------------------------------


class ModelChoiceDialog(QDialog):
    """Which installed models to evaluate: every one not marked broken, unless unticked."""

    def __init__(self, task: str, models: Sequence[InstalledModel], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(translate("WhichModel", "Run evaluation"))
        self.setObjectName("evaluationModels")
        intro = QLabel(
            arg(
                translate(
                    "WhichModel",
                    "Evaluate these models on %1. Each item is metered like a reply; a model "
                    "already evaluated with the same settings is not run again, and a stopped "
                    "run goes on where it stopped.",
                ),
                task_words(task),
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(translate("WhichModel", "Models to evaluate"))
        for m in models:
            label, tip = model_item(m)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, str(m.path))
            item.setToolTip(tip)
            if m.broken:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.run_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.run_button.setText(translate("WhichModel", "Run"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(lambda _item: self._sync())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(520, 360)
        self._sync()

    def chosen(self) -> list[str]:
        """The ticked models' paths."""
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _sync(self) -> None:
        self.run_button.setEnabled(bool(self.chosen()))


# --- the tab ---------------------------------------------------------------------------------


class WhichModelView(QWidget):
    """The "Which model?" tab: a task, its scatter and front, the sentence, and a run."""

    loaded = Signal(str)  # the task whose results are shown now
    evaluation_finished = Signal(str)  # the task; its results are stored (complete or stopped)
    evaluation_event = Signal(object)  # each event of a run, as it comes

    def __init__(
        self, services: Services, engine: EngineQueue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("whichModel")
        self.services = services
        self.engine = engine
        self.data: Loaded | None = None
        self.job: EngineJob | None = None
        self.running_task: str | None = None
        self.failures: list[str] = []
        self.stopped = False
        self._pool = make_pool(self, "which model")
        self._reading: Worker | None = None
        self._listing: Worker | None = None
        self._chooser: ModelChoiceDialog | None = None

        self.task_box = QComboBox()
        self.task_box.setAccessibleName(translate("WhichModel", "Task"))
        for task in TASKS:
            self.task_box.addItem(translate("WhichModel", TASK_TITLES[task]), task)
        self.task_box.currentIndexChanged.connect(lambda _i: self.refresh())
        task_label = QLabel(translate("WhichModel", "Task:"))
        task_label.setBuddy(self.task_box)
        self.run_button = QPushButton(translate("WhichModel", "Run evaluation…"))
        self.run_button.setAutoDefault(False)
        self.run_button.setToolTip(
            translate(
                "WhichModel",
                "Score the installed models on this task's built-in mini evaluation, "
                "metering every item",
            )
        )
        self.run_button.clicked.connect(self.choose_models)
        top = QHBoxLayout()
        top.addWidget(task_label)
        top.addWidget(self.task_box)
        top.addStretch(1)
        top.addWidget(self.run_button)

        # The empty state: what would fill this page, and the button that does it.
        self.empty_label = QLabel("")
        self.empty_label.setObjectName("energyMessage")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_run_button = QPushButton(translate("WhichModel", "Run evaluation…"))
        self.empty_run_button.setAutoDefault(False)
        self.empty_run_button.clicked.connect(self.choose_models)
        empty = QWidget()
        empty_column = QVBoxLayout(empty)
        empty_column.addStretch(1)
        empty_column.addWidget(self.empty_label)
        empty_column.addWidget(self.empty_run_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_column.addStretch(1)

        self.chart = QualityEnergyChart()
        self.sentence = QLabel("")
        self.sentence.setObjectName("whichModelSentence")
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.sentence.setFont(font)
        self.note = QLabel("")
        self.note.setObjectName("whichModelNote")
        self.note.setWordWrap(True)
        set_tone(self.note, "muted")
        shown = QWidget()
        shown_column = QVBoxLayout(shown)
        shown_column.setContentsMargins(0, 0, 0, 0)
        shown_column.addWidget(self.chart, 1)
        shown_column.addWidget(self.sentence)
        shown_column.addWidget(self.note)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(shown)

        self.progress = QProgressBar()
        self.progress.setObjectName("evaluationProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(200)
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("evaluationProgressLabel")
        self.stop_button = QPushButton(translate("WhichModel", "Stop"))
        self.stop_button.setAutoDefault(False)
        self.stop_button.setToolTip(
            translate("WhichModel", "Stop after the current item; the next run goes on from there")
        )
        self.stop_button.clicked.connect(self.stop)
        self.run_row = QWidget()
        run_row = QHBoxLayout(self.run_row)
        run_row.setContentsMargins(0, 0, 0, 0)
        run_row.addWidget(self.progress)
        run_row.addWidget(self.progress_label, 1)
        run_row.addWidget(self.stop_button)
        self.run_row.hide()
        self.status = QLabel("")
        self.status.setObjectName("whichModelStatus")
        self.status.setWordWrap(True)
        self.status.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.run_row)
        layout.addWidget(self.status)

    # --- reading --------------------------------------------------------------------------

    def task(self) -> str:
        return str(self.task_box.currentData())

    def set_task(self, task: str) -> None:
        self.task_box.setCurrentIndex(max(0, self.task_box.findData(task)))

    def refresh(self) -> None:
        services, task = self.services, self.task()
        self._reading = run_in_pool(
            self._pool,
            lambda: read_results(services, task),
            self._on_loaded,
            self._on_load_failed,
            replaces=self._reading,
        )

    def _on_loaded(self, result: object) -> None:
        assert isinstance(result, Loaded)
        if result.task != self.task():
            return  # the task changed meanwhile; its own read is on its way
        self.data = result
        task, results = result.task, result.results
        self.chart.set_results(task, results)
        if not self.chart.results:
            self.empty_label.setText(self._empty_text(result))
            self.stack.setCurrentIndex(0)
        else:
            self.sentence.setText(front_sentence(task, results))
            self.note.setText(self._note(result))
            self.stack.setCurrentIndex(1)
        self.loaded.emit(task)

    def _on_load_failed(self, message: str) -> None:
        self._say(message, "error")

    def _empty_text(self, data: Loaded) -> str:
        text = arg(
            translate(
                "WhichModel",
                "No evaluation of %1 yet.\n\nRun an evaluation: each installed model does "
                "this task's built-in mini evaluation, every item metered like a reply, and "
                "its score and joules per item appear here. It takes a few minutes per "
                "model. From a terminal:\ndesktop-llm eval --task %2",
            ),
            task_words(data.task),
            data.task,
        )
        if data.results:  # evaluated, but nothing was metered
            text = arg(
                translate(
                    "WhichModel",
                    "%1\n\nThe stored results have no energy figure to draw.",
                ),
                text,
            )
        return text

    def _note(self, data: Loaded) -> str:
        """Under the sentence: small checks, the items behind the points, estimates."""
        results = self.chart.results
        counts = sorted({r.items_done for r in results})
        parts: list[str] = []
        if data.set_size is not None and counts == [data.set_size]:
            parts.append(
                arg(
                    translate(
                        "WhichModel",
                        "Small checks, not benchmarks: %1 items per model, scored on this "
                        "computer; other texts may rank the models differently.",
                    ),
                    data.set_size,
                )
            )
        else:
            parts.append(
                arg(
                    translate(
                        "WhichModel",
                        "Small checks, not benchmarks: the points cover %1 items of the "
                        "set's %2, so compare them with care (a tooltip gives each count).",
                    ),
                    " / ".join(str(c) for c in counts),
                    data.set_size if data.set_size is not None else "?",
                )
            )
        if any(r.measured is False for r in results):
            parts.append(
                translate(
                    "WhichModel",
                    "Energy estimated from CPU time, not measured: no energy meter could be "
                    "read (see How is this measured?).",
                )
            )
        unplotted = [r for r in data.results if r not in results]
        if unplotted:
            parts.append(
                arg(
                    translate("WhichModel", "Not drawn (no score or no energy figure): %1."),
                    ", ".join(result_name(r) for r in unplotted),
                )
            )
        return "\n".join(parts)

    # --- running --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.job is not None

    def choose_models(self) -> None:
        """Lists the installed models (off the GUI thread), then asks which to evaluate."""
        if self._refused():
            return
        registry = self.services.host.registry
        self._listing = run_in_pool(
            self._pool, registry.list, self._ask, self._on_load_failed, replaces=self._listing
        )

    def _ask(self, models: object) -> None:
        assert isinstance(models, list)
        if not models:
            self._say(
                translate("WhichModel", "No model is installed: download one first (Models)."),
                "error",
            )
            return
        task = self.task()
        self._chooser = ModelChoiceDialog(task, models, self)
        self._chooser.accepted.connect(
            lambda chooser=self._chooser, task=task: self.run_evaluation(task, chooser.chosen())
        )
        self._chooser.open()

    def _refused(self) -> bool:
        refusal = self.engine.refusal()
        if refusal is not None:
            self._say(refusal, "error")
            return True
        return False

    def run_evaluation(
        self,
        task: str | None = None,
        models: Sequence[str] | None = None,
        *,
        limit: int | None = None,
    ) -> EngineJob | None:
        """Runs `task`'s evaluation (default: the task shown) on `models` (paths or names;
        default: every installed model not marked broken) on the engine queue; None when
        the engine is busy with other work (said in the status line)."""
        task = task or self.task()
        if self.running or self._refused():
            return None
        evaluator = Evaluator(self.services.settings, self.services.store, self.services.host)
        chosen = list(models) if models else None
        title = translate("WhichModel", TASK_TITLES.get(task, task))
        job = self.engine.submit(
            lambda: evaluator.run(task, chosen, limit=limit),  # type: ignore[arg-type]
            kind="task",
            on_cancel=evaluator.cancel,
            busy_text=arg(
                translate(
                    "WhichModel",
                    "An evaluation (%1) is running. Wait for it, or stop it in the energy "
                    "dashboard (Which model?).",
                ),
                title,
            ),
            waits_text=translate("WhichModel", "Waits for the evaluation to finish"),
        )
        self.job, self.running_task = job, task
        self.failures, self.stopped = [], False
        job.worker.yielded.connect(self._on_event)
        job.worker.failed.connect(self._on_run_failed)
        job.worker.finished.connect(self._on_run_finished)
        self.set_task(task)
        self.progress.setRange(0, 0)
        self.progress_label.setText(translate("WhichModel", "Starting the evaluation…"))
        self.stop_button.setEnabled(True)
        self.run_row.show()
        self.status.hide()
        self._sync_buttons()
        return job

    def stop(self) -> None:
        if self.job is not None:
            self.stopped = True
            self.stop_button.setEnabled(False)
            self.progress_label.setText(translate("WhichModel", "Stopping after this item…"))
            self.job.cancel()

    def _on_event(self, event: object) -> None:
        if isinstance(event, ModelLoading):
            self.progress.setRange(0, 0)
            self.progress_label.setText(
                arg(translate("WhichModel", "Loading %1…"), event.model_name)
            )
        elif isinstance(event, EvalStarted | EvalItemDone):
            self._show_progress(event.model, event.done, event.total)
        elif isinstance(event, EvalModelFailed):
            self.failures.append(
                arg(translate("WhichModel", "%1 was not evaluated: %2"), event.model, event.reason)
            )
        elif (
            isinstance(event, EvalModelEnded)
            and event.result.status == "complete"
            and event.result.task == self.task()
        ):
            self.refresh()  # each model's point appears as it is done
        self.evaluation_event.emit(event)

    def _show_progress(self, model: str, done: int, total: int) -> None:
        if self.stopped:
            return
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress_label.setText(
            arg(translate("WhichModel", "%1: item %2 of %3"), model, done, total)
        )

    def _on_run_failed(self, message: str) -> None:
        self.failures.append(message)

    def _on_run_finished(self) -> None:
        task = self.running_task or self.task()
        self.job, self.running_task = None, None
        self.run_row.hide()
        self._sync_buttons()
        if self.failures:
            self._say("\n".join(self.failures), "error")
        elif self.stopped:
            self._say(
                translate(
                    "WhichModel",
                    "Stopped. The items done are kept: Run evaluation goes on from there.",
                ),
                "muted",
            )
        else:
            self.status.hide()
        self.refresh()
        self.evaluation_finished.emit(task)

    def _sync_buttons(self) -> None:
        for button in (self.run_button, self.empty_run_button):
            button.setEnabled(not self.running)

    def _say(self, text: str, tone: str) -> None:
        set_tone(self.status, tone)  # type: ignore[arg-type]
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # --- closing --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stops a run of this tab (the engine queue waits for it) and the reads."""
        if self.job is not None:
            self.job.cancel()
        if self._chooser is not None:
            self._chooser.reject()
        stop_pool(self._pool, self._reading, self._listing)
