"""The energy dashboard: what the stored replies cost, compared, and how it was measured.

The window's counterpart of `desktop-llm energy report | meters` (cli/energy.py). Four tabs:
Overview (this session's and all-time totals, bar charts per day, model and task),
Compare (model × quantization × task, beside the published figures of Luccioni, Jernite and
Strubell 2024), "How is this measured?" (each meter, why one is missing and how to enable
it, what gross / net / attributed mean, and the grid intensity behind the carbon) and
"Which model?" (which_model.py: quality against joules per item from the evaluations).

Everything that touches the database, sysfs, NVML or a file runs in a Worker of the
dashboard's pool and comes back queued: the GUI thread only lays out what `load_dashboard` computed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.display_text import html_text
from desktop_llm.core.energy import meter_statuses
from desktop_llm.core.energy.report import (
    PUBLISHED_KWH_PER_1000,
    PUBLISHED_SOURCE,
    format_carbon,
    format_joules,
)
from desktop_llm.core.energy.wording import FELT_ASSUMPTION, felt, source_words
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, csv_encoding, translate
from desktop_llm.core.services import Services
from desktop_llm.ui.common.engine_queue import EngineQueue
from desktop_llm.ui.common.style import color, set_tone
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool
from desktop_llm.ui.energy.charts import EnergyBarChart
from desktop_llm.ui.energy.eco_panel import EcoPanel
from desktop_llm.ui.energy.summary import (
    HOW_TAB,
    MAX_DAYS,
    CompareRow,
    DashboardData,
    compare_csv,
    estimate_warning,
    first_record_time,
    header_text,
    load_dashboard,
    local_time,
    plain_number,
    remote_words,
    write_csv,
)
from desktop_llm.ui.energy.which_model import TAB_TITLE, WhichModelView

log = logging.getLogger(__name__)

# Every text here is in context "EnergyDashboard": marked where defined, translated where shown.
EMPTY_MESSAGE = QT_TRANSLATE_NOOP(
    "EnergyDashboard",
    "No energy records yet.\n\nEvery chat reply, translation, summary and sentiment run "
    "records what it cost. Send a message or run a task, then press Refresh (F5).",
)
LOADING = QT_TRANSLATE_NOOP("EnergyDashboard", "Loading…")

# What each meter is, in words, whatever its state on this computer.
METER_NAMES = {
    "rapl": QT_TRANSLATE_NOOP("EnergyDashboard", "CPU energy counters (Intel/AMD RAPL, Linux)"),
    "nvml": QT_TRANSLATE_NOOP("EnergyDashboard", "NVIDIA GPU energy counter (NVML)"),
    "battery": QT_TRANSLATE_NOOP("EnergyDashboard", "Laptop battery discharge"),
    "apple": QT_TRANSLATE_NOOP("EnergyDashboard", "Apple Silicon energy counters"),
    "estimate": QT_TRANSLATE_NOOP("EnergyDashboard", "Estimate from CPU time"),
}
METER_MEASURES = {
    "rapl": QT_TRANSLATE_NOOP(
        "EnergyDashboard",
        "the energy of the CPU package (and memory), measured by the processor itself",
    ),
    "nvml": QT_TRANSLATE_NOOP(
        "EnergyDashboard", "the energy of the graphics card, added when the model runs on the GPU"
    ),
    "battery": QT_TRANSLATE_NOOP(
        "EnergyDashboard",
        "the whole laptop's power while on battery, kept only as a cross-check",
    ),
    "apple": QT_TRANSLATE_NOOP("EnergyDashboard", "the energy of an Apple Silicon chip"),
    "estimate": QT_TRANSLATE_NOOP(
        "EnergyDashboard",
        "the model process's CPU time × a per-core power figure; not a measurement",
    ),
}
# The tasks' keys (stored with each record, and in the CSV) as the charts and the table show them.
TASK_NAMES = {
    "chat": QT_TRANSLATE_NOOP("EnergyDashboard", "chat"),
    "translate": QT_TRANSLATE_NOOP("EnergyDashboard", "translate"),
    "summarize": QT_TRANSLATE_NOOP("EnergyDashboard", "summarize"),
    "sentiment": QT_TRANSLATE_NOOP("EnergyDashboard", "sentiment"),
    # What the local server answered (core/server): stored as conversations of task "api".
    "api": QT_TRANSLATE_NOOP("EnergyDashboard", "API requests"),
}


def task_name(task: str) -> str:
    """A task's key in the window's language (an unknown key as it is)."""
    return translate("EnergyDashboard", TASK_NAMES[task]) if task in TASK_NAMES else task


def day_label(iso_day: str) -> str:
    """A chart's day: '30 Nov' (QLocale: the month in the window's language)."""
    day = date.fromisoformat(iso_day[:10])
    fmt = translate("EnergyDashboard", "d MMM", "a day in a chart, as a QDate format: 30 Nov")
    return QLocale().toString(QDate(day.year, day.month, day.day), fmt)


def since_label(moment: datetime) -> str:
    """The day of the first record: '05 Nov 2025'."""
    fmt = translate("EnergyDashboard", "dd MMM yyyy", "a date, as a QDate format: 05 Nov 2025")
    return QLocale().toString(QDate(moment.year, moment.month, moment.day), fmt)


# --- the Compare table ---------------------------------------------------------------------

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_NUMERIC = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# The columns' keys (English, what the tests and the code look them up by); HEADERS and
# COLUMN_TIPS are what is shown.
COLUMNS = (
    "Model",
    "Quantization",
    "Task",
    "Requests",
    "Tokens",
    "Energy",
    "J per 1,000 tokens",
    "kWh per 1,000 requests",
    "g CO2e per 1,000 requests",
    "Source",
    "Published (different setup)",
)
PUBLISHED_COLUMN = COLUMNS.index("Published (different setup)")
# Long headers on two lines, so that eleven columns fit the dialog's width.
HEADERS = {
    "Model": QT_TRANSLATE_NOOP("EnergyDashboard", "Model"),
    "Quantization": QT_TRANSLATE_NOOP("EnergyDashboard", "Quanti-\nzation"),
    "Task": QT_TRANSLATE_NOOP("EnergyDashboard", "Task"),
    "Requests": QT_TRANSLATE_NOOP("EnergyDashboard", "Requests"),
    "Tokens": QT_TRANSLATE_NOOP("EnergyDashboard", "Tokens"),
    "Energy": QT_TRANSLATE_NOOP("EnergyDashboard", "Energy"),
    "J per 1,000 tokens": QT_TRANSLATE_NOOP("EnergyDashboard", "J per\n1k tokens"),
    "kWh per 1,000 requests": QT_TRANSLATE_NOOP("EnergyDashboard", "kWh per\n1k requests"),
    "g CO2e per 1,000 requests": QT_TRANSLATE_NOOP("EnergyDashboard", "g CO2e per\n1k requests"),
    "Source": QT_TRANSLATE_NOOP("EnergyDashboard", "Source"),
    "Published (different setup)": QT_TRANSLATE_NOOP(
        "EnergyDashboard", "Published\n(different setup)"
    ),
}
COLUMN_TIPS = {
    "Requests": QT_TRANSLATE_NOOP(
        "EnergyDashboard",
        "A chat reply, a translation or summary run, or one classified sentiment item",
    ),
    "Tokens": QT_TRANSLATE_NOOP(
        "EnergyDashboard", "Prompt and completion tokens of every model call"
    ),
    "Energy": QT_TRANSLATE_NOOP(
        "EnergyDashboard", "Joules attributed to the model's process, net of the idle baseline"
    ),
    "Source": QT_TRANSLATE_NOOP(
        "EnergyDashboard", "The meter the energy comes from ('estimate': CPU time, not measured)"
    ),
    # %1: PUBLISHED_SOURCE
    "Published (different setup)": QT_TRANSLATE_NOOP(
        "EnergyDashboard",
        "kWh per 1,000 inferences for this kind of task, %1: "
        "other models on other hardware, only a reference point",
    ),
}


def _core(text: str) -> str:
    """A text of the energy core (report.py: the paper and its task names), translated when
    the core marks it (context "Energy"), else as it is."""
    return translate("Energy", text)


class CompareModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CompareRow] = []

    def set_rows(self, rows: Sequence[CompareRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return translate("EnergyDashboard", HEADERS[COLUMNS[section]])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = COLUMN_TIPS.get(COLUMNS[section])
            return arg(translate("EnergyDashboard", tip), _core(PUBLISHED_SOURCE)) if tip else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3 and column != 9:
            return int(_NUMERIC)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _values(self, row: CompareRow) -> list[Any]:
        g = row.group
        published = row.published
        return [
            row.model,
            row.quantization,
            row.task,
            g.requests,
            g.tokens,
            g.joules_attributed,
            g.joules_per_1k_tokens,
            g.kwh_per_1k_requests,
            row.carbon_per_1k_requests,
            ", ".join(sorted(g.sources)),
            published[1] if published else None,
        ]

    def _display(self, row: CompareRow, column: int) -> str:
        value = self._values(row)[column]
        if column in (3, 4):
            return f"{value:,}"
        if column == 5:
            return format_joules(value)
        if column == 6:
            return plain_number(value, 3)
        if column in (7, 8):
            return plain_number(value, 2)
        if column == PUBLISHED_COLUMN:
            return "" if value is None else f"{value:g}"
        if column == 2:
            return task_name(value)
        return str(value)

    def _sort_key(self, row: CompareRow, column: int) -> Any:
        value = self._values(row)[column]
        if column < 3 or column == 9:
            return str(value).casefold()
        return -1.0 if value is None else float(value)

    def _tooltip(self, row: CompareRow, column: int) -> str | None:
        g = row.group
        if column == 0:
            return row.model
        if column == PUBLISHED_COLUMN and row.published:
            name, kwh = row.published
            return arg(
                translate("EnergyDashboard", "%1: %2 kWh per 1,000 inferences (%3)"),
                _core(name),
                kwh,
                _core(PUBLISHED_SOURCE),
            )
        if column == 5:
            lines = [
                arg(
                    translate(
                        "EnergyDashboard", "gross %1, net of the idle baseline %2, attributed %3"
                    ),
                    format_joules(g.joules_gross),
                    format_joules(g.joules_net),
                    format_joules(g.joules_attributed),
                ),
                arg(
                    translate("Energy", "That is about %1. %2"),
                    felt(g.joules_attributed),
                    _core(FELT_ASSUMPTION),
                ),
            ]
            if n := g.contended:
                busy = translate(
                    "EnergyDashboard", "%n model call(s) measured while other programs kept the "
                    "CPU busy: figures are higher than on a quiet machine.", None, PLURAL, n
                )  # fmt: skip
                lines.append(busy)
            return "\n".join(lines)
        if column == 9 and g.estimated:
            return arg(
                translate("EnergyDashboard", "%1 of %2 model calls estimated from CPU time"),
                g.estimated,
                g.generations,
            )
        return None


# --- the "How is this measured?" page -------------------------------------------------------


def _state(color: str, text: str) -> str:
    return f"<span style='color:{color}'>{html_text(text)}</span>"


def measured_html(data: DashboardData) -> str:
    title = translate("EnergyDashboard", "Meters on this computer")
    parts = [f"<h3>{html_text(title)}</h3><ul>"]
    for status in data.meters:
        name = status.name
        if status.name in METER_NAMES:
            name = translate("EnergyDashboard", METER_NAMES[status.name])
        measures = METER_MEASURES.get(status.name, "")
        if measures:
            measures = translate("EnergyDashboard", measures)
        detail = html_text(status.detail)
        if status.available:
            line = arg(
                translate("EnergyDashboard", "<b>%1</b> [%2]: %3 — %4.<br>%5."),
                html_text(name),
                status.name,
                _state(color("good"), translate("EnergyDashboard", "available")),
                html_text(measures),
                detail,
            )
        else:
            fix = (
                arg(translate("EnergyDashboard", "To enable: %1"), status.fix)
                if status.fix
                else translate(
                    "EnergyDashboard", "Nothing to enable: this computer does not have it."
                )
            )
            line = arg(
                translate("EnergyDashboard", "<b>%1</b> [%2]: %3 — would measure %4.<br>Why: %5."),
                html_text(name),
                status.name,
                _state(color("error"), translate("EnergyDashboard", "not available")),
                html_text(measures),
                detail,
            )
            line += "<br>" + html_text(fix)
        parts.append(f"<li>{line}</li>")
    parts.append("</ul>")
    parts.append(
        "<p>"
        + translate(
            "EnergyDashboard",
            "A reply uses the CPU counters when they can be read, else the estimate; the "
            "GPU's energy is added when the model runs on an NVIDIA GPU.",
        )
        + "</p>"
    )
    if data.sources:
        used = ", ".join(
            f"{html_text(source)} ({count:,})" for source, count in data.sources.most_common()
        )
        meters_used = arg(
            translate("EnergyDashboard", "Meters behind your %1 stored model calls: %2."),
            f"{data.overall.generations:,}",
            used,
        )
        parts.append(f"<p>{meters_used}</p>")
    gross_net = translate(
        "EnergyDashboard",
        "<b>Gross</b> is everything the meter counted from the request to the last token. "
        "<b>Net</b> takes away the idle baseline: the power this computer draws doing nothing, "
        "measured while the model waits, times the reply's duration. <b>Attributed</b> is the "
        "part charged to the model: a whole-machine meter (RAPL) also counts every other "
        "program, so its net is multiplied by the model process's share of the busy CPU time. "
        "The estimate sees only the model's own CPU time, so it is attributed by construction. "
        "The charts and tables show attributed energy.",
    )
    low_confidence = arg(
        translate(
            "EnergyDashboard",
            "A reply shorter than the meter's resolution (CPU time is counted in 10 ms ticks; "
            "some counters refresh only every few ms) is marked low confidence: its figure is "
            "rounded more than it is measured. Low-confidence records so far: %1 of %2.",
        ),
        f"{data.low_confidence:,}",
        f"{data.overall.generations:,}",
    )
    intensity = data.intensity
    carbon = arg(
        translate(
            "EnergyDashboard",
            "Grams of CO2e are the attributed kWh times the carbon intensity of the "
            "electricity grid. New replies use <b>%1 g CO2e per kWh</b>, from %2; chosen "
            "from %3.",
        ),
        f"{intensity.g_per_kwh:g}",
        html_text(source_words(intensity.source)),
        html_text(data.intensity_origin),
    )
    where = translate(
        "EnergyDashboard",
        "You can change it in Settings (Ctrl+,) under Energy: your country as a two-letter "
        "code, or your electricity supplier's own figure. It is never looked up on the "
        "network. Each stored reply keeps the intensity it was recorded with.",
    )
    overall = data.overall
    if overall.remote or overall.remote_estimated:
        remote = translate(
            "EnergyDashboard",
            "Replies written by a remote engine ran on another machine, whose energy this "
            "computer cannot measure: they have no figure (not 0) and are counted apart. "
            "Where you gave the engine the server's average power draw, a reply's energy is "
            "estimated from your figure (watts × the reply's seconds), labelled so, and summed "
            "apart too. Remote replies: %1.",
        )
        parts.append(f"<p>{html_text(arg(remote, ' · '.join(remote_words(overall))))}</p>")
    headings = (
        translate("EnergyDashboard", "Gross, net and attributed"),
        translate("EnergyDashboard", "Low-confidence windows"),
        translate("EnergyDashboard", "Carbon"),
    )
    parts += [
        f"<h3>{headings[0]}</h3><p>{gross_net}</p>",
        f"<h3>{headings[1]}</h3><p>{low_confidence}</p>",
        f"<h3>{headings[2]}</h3><p>{carbon}</p><p>{where}</p>",
    ]
    return "".join(parts)


# --- the dialog ----------------------------------------------------------------------------


def _message_page(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("energyMessage")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setMargin(24)
    return label


class EnergyDashboard(QDialog):
    """Non-modal. Loads when shown and on refresh(); `loaded` fires when the data is in."""

    loaded = Signal()
    load_failed = Signal(str)
    exported = Signal(str)  # the path written
    export_failed = Signal(str)
    evaluation_finished = Signal(str)  # the task; "Which model?" ran an evaluation of it

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        session_start: datetime | None = None,
        engine: EngineQueue | None = None,
    ) -> None:
        """engine: the window's queue in front of the inference process (evaluations run on
        it); a dashboard opened without a window makes its own."""
        super().__init__(parent)
        self.setWindowTitle(translate("EnergyDashboard", "Energy dashboard"))
        self.setObjectName("energyDashboard")
        self.services = services
        self._session_start = local_time(session_start or datetime.now().astimezone())
        self.data: DashboardData | None = None
        self._loading = False
        self._pool = make_pool(self, "energy dashboard")
        self._reading: Worker | None = None
        self._writing: Worker | None = None

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_overview(), translate("EnergyDashboard", "Overview"))
        self.tabs.addTab(self._build_compare(), translate("EnergyDashboard", "Compare"))
        self.meters_view = QTextBrowser()
        self.meters_view.setObjectName("energyMeters")
        self.meters_view.setAccessibleName(translate("EnergyDashboard", "Energy meters"))
        self.meters_view.setOpenLinks(False)
        self.meters_view.setPlainText(translate("EnergyDashboard", LOADING))
        self._own_engine = engine is None
        self.engine = engine if engine is not None else EngineQueue(self)
        # Eco mode's state and calibration, under the meters: where a user looks for them.
        self.eco = EcoPanel(services, self.engine)
        how = QWidget()
        how_column = QVBoxLayout(how)
        how_column.setContentsMargins(0, 0, 0, 0)
        how_column.addWidget(self.meters_view, 1)
        how_column.addWidget(self.eco)
        self.tabs.addTab(how, translate("EnergyDashboard", HOW_TAB))
        self.which_model = WhichModelView(services, self.engine)
        self.which_model.evaluation_finished.connect(self._on_evaluation_finished)
        self.tabs.addTab(self.which_model, translate("WhichModel", TAB_TITLE))

        self.status = QLabel("")
        self.status.setObjectName("energyStatus")
        self.status.setWordWrap(True)
        self.refresh_button = QPushButton(translate("EnergyDashboard", "Refresh"))
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_button.setToolTip(
            translate("EnergyDashboard", "Read the energy records again (F5)")
        )
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button = QPushButton(translate("EnergyDashboard", "Close"))
        self.close_button.setToolTip(translate("EnergyDashboard", "Close (Esc)"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)  # Esc rejects too
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.resize(1180, 780)

    # --- building ------------------------------------------------------------------------

    def _build_overview(self) -> QWidget:
        self.header = QLabel("")
        self.header.setObjectName("energyHeader")
        self.header.setWordWrap(True)
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(True)
        self.header.setFont(font)
        self.warning = QLabel("")
        self.warning.setObjectName("energyWarning")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.RichText)
        set_tone(self.warning, "warning")
        self.warning.linkActivated.connect(lambda _link: self.tabs.setCurrentIndex(2))
        self.day_chart = EnergyBarChart(
            arg(translate("EnergyDashboard", "Energy per day, last %1 days with data"), MAX_DAYS)
        )
        self.model_chart = EnergyBarChart(
            translate("EnergyDashboard", "Energy per model"), horizontal=True
        )
        self.task_chart = EnergyBarChart(translate("EnergyDashboard", "Energy per task"))
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.header, 0, 0, 1, 2)
        grid.addWidget(self.warning, 1, 0, 1, 2)
        grid.addWidget(self.day_chart, 2, 0, 1, 2)
        grid.addWidget(self.model_chart, 3, 0)
        grid.addWidget(self.task_chart, 3, 1)
        grid.setRowStretch(2, 1)
        grid.setRowStretch(3, 1)
        self.overview_message = _message_page(translate("EnergyDashboard", LOADING))
        self.overview = QStackedWidget()
        self.overview.addWidget(self.overview_message)
        self.overview.addWidget(charts)
        return self.overview

    def _build_compare(self) -> QWidget:
        self.compare_model = CompareModel(self)
        self.compare_proxy = QSortFilterProxyModel(self)
        self.compare_proxy.setSourceModel(self.compare_model)
        self.compare_proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("energyCompare")
        self.table.setAccessibleName(
            translate("EnergyDashboard", "Comparison with published figures")
        )
        self.table.setModel(self.compare_proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The model's name takes what is left (elided, in full in its tooltip): no scrolling.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)
        self.compare_total = QLabel("")
        self.compare_total.setObjectName("energyCompareTotal")
        kwh = {task: figure for task, (_name, figure) in PUBLISHED_KWH_PER_1000.items()}
        self.published_note = QLabel(
            arg(
                translate(
                    "EnergyDashboard",
                    "<b>Published (different setup)</b>: kWh per 1,000 inferences from "
                    "%1: text classification %2 (beside sentiment), text generation %3 (beside "
                    "chat, and translation, which has no figure of its own), summarization "
                    "%4. They were measured on one NVIDIA A100 GPU with other models and batch "
                    "sizes: a reference point, not a like-for-like comparison. A request is one "
                    "chat reply, one translation or summary run, or one classified sentiment item.",
                ),
                html_text(_core(PUBLISHED_SOURCE)),
                f"{kwh['sentiment']:g}",
                f"{kwh['chat']:g}",
                f"{kwh['summarize']:g}",
            )
        )
        self.published_note.setObjectName("energyPublishedNote")
        self.published_note.setWordWrap(True)
        self.published_note.setTextFormat(Qt.TextFormat.RichText)
        self.export_button = QPushButton(translate("EnergyDashboard", "Export CSV…"))
        self.export_button.setAutoDefault(False)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._ask_export)
        bottom = QHBoxLayout()
        bottom.addWidget(self.compare_total, 1)
        bottom.addWidget(self.export_button)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addLayout(bottom)
        column.addWidget(self.published_note)
        self.compare_message = _message_page(translate("EnergyDashboard", LOADING))
        self.compare = QStackedWidget()
        self.compare.addWidget(self.compare_message)
        self.compare.addWidget(page)
        return self.compare

    # --- loading -------------------------------------------------------------------------

    @property
    def session_started_at(self) -> datetime:
        return self._session_start

    @session_started_at.setter
    def session_started_at(self, moment: datetime) -> None:
        self._session_start = local_time(moment)
        if self.isVisible():
            self.refresh()

    @property
    def loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        """Reads the records and meters again in the background; the old view stays meanwhile."""
        self._loading = True
        set_tone(self.status, None)
        self.status.setText(translate("EnergyDashboard", LOADING))
        services, start = self.services, self._session_start
        per_core = float(services.settings["energy.cpu_watts_per_core"]) or None

        def read() -> DashboardData:
            return load_dashboard(
                services, start, lambda: meter_statuses(cpu_watts_per_core=per_core)
            )

        self._reading = run_in_pool(
            self._pool, read, self._on_loaded, self._on_load_failed, replaces=self._reading
        )
        self.which_model.refresh()
        self.eco.refresh()

    def _on_evaluation_finished(self, task: str) -> None:
        self.evaluation_finished.emit(task)
        if self.isVisible():
            self.refresh()  # the evaluation's energy is in the totals too

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def _on_loaded(self, result: object) -> None:
        assert isinstance(result, DashboardData)
        self._loading = False
        self.data = result
        self.status.setText("")
        self._show_overview(result)
        self._show_compare(result)
        self.meters_view.setHtml(measured_html(result))
        self.loaded.emit()

    def _on_load_failed(self, message: str) -> None:
        self._loading = False
        set_tone(self.status, "error")
        self.status.setText(message)
        if self.data is None:
            for page in (self.overview_message, self.compare_message):
                page.setText(message)
            self.meters_view.setPlainText(message)
        self.load_failed.emit(message)

    def _show_overview(self, data: DashboardData) -> None:
        if not data.rows:
            self.overview_message.setText(translate("EnergyDashboard", EMPTY_MESSAGE))
            self.overview.setCurrentIndex(0)
            return
        since = first_record_time(data)
        self.header.setText(header_text(data, since_label(since) if since else ""))
        warning = estimate_warning(data)
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        days = [g.key for g in data.by_day]
        self.day_chart.set_data(
            days, [g.joules_attributed for g in data.by_day], [day_label(d) for d in days]
        )
        self.model_chart.set_data(
            [g.key for g in data.by_model], [g.joules_attributed for g in data.by_model]
        )
        tasks = [g.key for g in data.by_task]
        names = [task_name(t) for t in tasks]
        self.task_chart.set_data(tasks, [g.joules_attributed for g in data.by_task], names, names)
        self.overview.setCurrentIndex(1)

    def _show_compare(self, data: DashboardData) -> None:
        self.compare_model.set_rows(data.compare)
        self.export_button.setEnabled(bool(data.compare))
        if not data.rows:
            self.compare_message.setText(translate("EnergyDashboard", EMPTY_MESSAGE))
            self.compare.setCurrentIndex(0)
            return
        overall = data.overall
        all_rows = arg(
            translate("EnergyDashboard", "All rows: %1 requests · %2 tokens · %3 · %4"),
            f"{overall.requests:,}",
            f"{overall.tokens:,}",
            format_joules(overall.joules_attributed),
            format_carbon(overall.carbon_g),
        )
        self.compare_total.setText(" · ".join([all_rows, *remote_words(overall)]))
        self.compare.setCurrentIndex(1)

    # --- export --------------------------------------------------------------------------

    def _ask_export(self) -> None:
        if self.data is None or not self.data.compare:
            return
        default = str(Path.home() / "energy.csv")
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("EnergyDashboard", "Export the energy table"),
            default,
            # The patterns keep their ASCII brackets: Qt reads them.
            translate("EnergyDashboard", "CSV files (*.csv);;All files (*)"),
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> None:
        """Writes the Compare table (as loaded) to path in the background."""
        if self.data is None:
            return
        text = compare_csv(self.data.compare)
        encoding = csv_encoding(self.services.settings["ui.csv_bom"])
        set_tone(self.status, None)
        self.status.setText(arg(translate("EnergyDashboard", "Saving %1…"), path.name))
        self._writing = run_in_pool(
            self._pool,
            lambda: write_csv(path, text, encoding),
            self._on_exported,
            self._on_export_failed,
            replaces=self._writing,
        )

    def _on_exported(self, result: object) -> None:
        self.status.setText(arg(translate("EnergyDashboard", "Saved %1"), result))
        self.exported.emit(str(result))

    def _on_export_failed(self, message: str) -> None:
        set_tone(self.status, "error")
        self.status.setText(message)
        self.export_failed.emit(message)

    # --- closing -------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Waits for a read or write in flight; call before the services are closed."""
        self.which_model.shutdown()
        self.eco.shutdown()
        stop_pool(self._pool, self._reading, self._writing)
        if self._own_engine:
            self.engine.shutdown()
        self._loading = False
