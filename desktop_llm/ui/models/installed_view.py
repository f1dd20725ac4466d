"""The model manager's Installed tab: every model on this machine, what it is, and actions.

It leads with what a person needs: what the model is good for and its languages (from the
catalog when the file is a catalog model, else from the file), its size and context, the
speed and the energy per reply measured on this computer (the store's generation and
energy records), and the tasks it is the default for. sha256, the architecture, the path
and every raw GGUF metadata key are behind "Details".

Reading headers, the measured figures, hashing, the metadata, checking, copying and
deleting run as Workers (ui/common/worker.py) in the view's pool, one of each kind at a
time (a newer request of a kind drops the older one's result); their results come back to
the GUI thread. sha256 is computed once per file (size and mtime unchanged) and kept in the
database's model_hashes cache, which the generation records use too. A file to import is
checked (its GGUF header read) before the user is asked whether to copy it or use it where
it is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.default_models import MODEL_TASKS, save_default_model, tasks_defaulting_to
from desktop_llm.core.display_text import html_text, plain_rich_text
from desktop_llm.core.energy.report import format_joules, group_energy
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, current_language, translate
from desktop_llm.core.models import (
    Cancelled,
    CatalogModel,
    InstalledModel,
    ModelSummary,
    explain_quantization,
    format_bytes,
    gguf_metadata,
    load_catalog,
    model_sha256,
    read_gguf,
)
from desktop_llm.core.models.catalog import catalog_model_for_file
from desktop_llm.core.models.imports import validate_model_file
from desktop_llm.core.models.quantize import Quantized
from desktop_llm.core.services import Services
from desktop_llm.core.store import Store
from desktop_llm.ui.common.error_banner import ErrorBanner
from desktop_llm.ui.common.style import color, muted_html, set_tone
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool
from desktop_llm.ui.models.discover_view import language_names
from desktop_llm.ui.models.model_settings_dialog import ModelSettingsDialog
from desktop_llm.ui.models.quantize_dialog import QuantizeDialog

# The column headers, shown through translate("InstalledView", ...).
COLUMNS = (
    QT_TRANSLATE_NOOP("InstalledView", "Name"),
    QT_TRANSLATE_NOOP("InstalledView", "Good for"),
    QT_TRANSLATE_NOOP("InstalledView", "Size"),
    QT_TRANSLATE_NOOP("InstalledView", "Context"),
    QT_TRANSLATE_NOOP("InstalledView", "Speed"),
    QT_TRANSLATE_NOOP("InstalledView", "Energy per reply"),
    QT_TRANSLATE_NOOP("InstalledView", "Default for"),
    QT_TRANSLATE_NOOP("InstalledView", "Status"),
)
GOOD_FOR_COLUMN = COLUMNS.index("Good for")
STATUS_COLUMN = COLUMNS.index("Status")
SOURCE_WORDS = {
    "bundled": QT_TRANSLATE_NOOP("InstalledView", "comes with the app"),
    "local": QT_TRANSLATE_NOOP("InstalledView", "in the models folder"),
}
# The starter model is not in the catalog: what it is good for, in the catalog's manner.
STARTER_GOOD_FOR = QT_TRANSLATE_NOOP(
    "InstalledView",
    "Trying the app: tiny and quick, but it knows few facts and writes very little Chinese.",
)
# The tasks a model can be the default for, as the menu and the Default for column name them.
TASK_WORDS = {
    "chat": QT_TRANSLATE_NOOP("InstalledView", "Chat"),
    "translate": QT_TRANSLATE_NOOP("InstalledView", "Translate"),
    "summarize": QT_TRANSLATE_NOOP("InstalledView", "Summarize"),
    "sentiment": QT_TRANSLATE_NOOP("InstalledView", "Sentiment"),
}

ImportChoice = Literal["copy", "in place"]


def task_word(task: str) -> str:
    """'Chat', 'Translate'... in the window's language."""
    word = TASK_WORDS.get(task)
    return translate("InstalledView", word) if word is not None else task.capitalize()


def list_words(words: list[str] | tuple[str, ...]) -> str:
    """'Chat, Translate' (the separator is the language's: '、' in Chinese)."""
    return translate("InstalledView", ", ", "separator between list items").join(words)


def _model_key(file_name: str) -> str:
    """How the energy report names a model: the file name without '.gguf'."""
    return file_name.removesuffix(".gguf")


@dataclass(frozen=True)
class Measured:
    """What this computer measured of a model: its writing speed and a chat reply's energy."""

    tokens_per_second: float | None = None
    timed: int = 0  # generations the speed is over
    joules_per_reply: float | None = None
    replies: int = 0  # chat replies the energy is over
    estimated: bool = False  # some of that energy was estimated, not metered


def measured_here(store: Store) -> dict[str, Measured]:
    """Runs in a pool: per model (the file name without '.gguf'), the speed over every
    timed generation and the energy of a chat reply (the energy report's per-model sums)."""
    speeds = {_model_key(f): speed for f, speed in store.speeds_by_model().items()}
    chat_rows = [row for row in store.energy_rows() if row.task == "chat"]
    energy = {g.key: g for g in group_energy(chat_rows, "model") if g.requests}
    out = {}
    for key in speeds.keys() | energy.keys():
        tokens_per_second, timed = speeds.get(key, (None, 0))
        group = energy.get(key)
        out[key] = Measured(
            tokens_per_second,
            timed,
            group.joules_attributed / group.requests if group else None,
            group.requests if group else 0,
            bool(group and group.estimated),
        )
    return out


@dataclass
class InstalledRow:
    model: InstalledModel
    summary: ModelSummary | None = None
    problem: str | None = None  # why the header could not be read
    sha256: str | None = None
    defaults: tuple[str, ...] = ()  # task words ('Chat', 'Translate')
    catalog: CatalogModel | None = None  # the catalog model this file is, if any
    measured: Measured = field(default_factory=Measured)

    def status(self) -> str:
        """Broken, not usable, or where the file is."""
        if self.model.broken:
            return arg(translate("InstalledView", "Broken: %1"), self.model.broken)
        if self.problem:
            return arg(translate("InstalledView", "Not usable: %1"), self.problem)
        source = SOURCE_WORDS.get(self.model.source)
        if source is not None:
            return translate("InstalledView", source)
        return arg(translate("InstalledView", "used in place (%1)"), self.model.path.parent)

    def good_for(self) -> str:
        """The catalog's sentence in the window's language, the starter's own, or ''."""
        if self.catalog is not None:
            return self.catalog.good_for_in(current_language())
        if self.model.source == "bundled":
            return translate("InstalledView", STARTER_GOOD_FOR)
        return ""

    def languages(self) -> tuple[str, ...]:
        if self.catalog is not None:
            return self.catalog.languages
        return self.summary.languages if self.summary is not None else ()

    def speed_text(self) -> str:
        speed = self.measured.tokens_per_second
        return (
            "" if speed is None else f"{speed:.0f} tok/s" if speed >= 10 else f"{speed:.1f} tok/s"
        )

    def energy_text(self) -> str:
        joules = self.measured.joules_per_reply
        if joules is None:
            return ""
        return ("≈ " if self.measured.estimated else "") + format_joules(joules)


def read_summaries(models: list[InstalledModel]) -> list[InstalledRow]:
    """Runs in a pool: every model's GGUF header (a bad file gets its reason, not a crash)
    and the catalog model it is."""
    try:
        catalog = load_catalog()
    except UserError:
        catalog = []
    rows = []
    for model in models:
        entry = catalog_model_for_file(catalog, model.path.name)
        try:
            summary = ModelSummary.from_info(read_gguf(model.path))
        except (UserError, OSError) as exc:
            rows.append(InstalledRow(model, problem=str(exc), catalog=entry))
        else:
            rows.append(InstalledRow(model, summary, catalog=entry))
    return rows


def check_import(path: Path) -> ModelSummary:
    """Runs in a pool: the file must be a readable GGUF model (BadModelFile/UserError)."""
    return ModelSummary.from_info(read_gguf(validate_model_file(path)))


class InstalledTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[InstalledRow] = []

    def set_rows(self, rows: list[InstalledRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_changed(self, index: int) -> None:
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("InstalledView", COLUMNS[section])
        return None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and (row.model.broken or row.problem):
            return QColor(color("error"))
        return None

    @staticmethod
    def text(row: InstalledRow, column: str) -> str:
        """What a cell shows (the table and the tests read it)."""
        s = row.summary
        if column == "Name":
            return row.model.name
        if column == "Good for":
            return row.good_for() or "—"
        if column == "Size":
            return format_bytes(row.model.size_bytes)
        if column == "Status":
            return row.status()
        if column == "Default for":
            return list_words(row.defaults)
        if column == "Speed":
            return row.speed_text() or "—"
        if column == "Energy per reply":
            return row.energy_text() or "—"
        if s is None:
            return "" if row.problem else "…"
        return QLocale().toString(s.context_length) if s.context_length else "?"

    @staticmethod
    def _tooltip(row: InstalledRow, column: str) -> str:
        measured = row.measured
        if column == "Speed":
            if measured.tokens_per_second is None:
                return translate("InstalledView", "Not measured yet: it has not written here.")
            timed = measured.timed
            return translate(
                "InstalledView", "Measured on this computer over %n reply(ies)", None, PLURAL, timed
            )  # fmt: skip
        if column == "Energy per reply":
            if measured.joules_per_reply is None:
                return translate(
                    "InstalledView", "Not measured yet: it has not answered in a chat here."
                )
            replies = measured.replies
            return translate(
                "InstalledView", "The average chat reply on this computer, "
                "over %n reply(ies)", None, PLURAL, replies
            )  # fmt: skip
        if column == "Good for":
            languages = row.languages()
            text = row.good_for()
            if languages:
                words = arg(translate("InstalledView", "Languages: %1"), language_names(languages))
                text = f"{text}\n{words}" if text else words
            return text or translate("InstalledView", "Not a catalog model.")
        return f"{row.model.path}\n{row.status()}"


def _heading(text: str) -> str:
    return f"<b>{html_text(text)}</b>"


class InstalledView(QWidget):
    """Lists the installed models; import, set as default, show in folder, remove."""

    models_changed = Signal()  # a model was imported or removed, or a default changed
    status = Signal(str)  # one line for the dialog's status ('' clears it)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = ErrorBanner()
        self.table_model = InstalledTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("installedModels")
        self.table.setAccessibleName(translate("InstalledView", "Installed models"))
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(GOOD_FOR_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(STATUS_COLUMN, 170)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        # The chosen model, in words: what it is for, what it costs here, what it is used for.
        self.title_label = QLabel()
        self.title_label.setObjectName("modelTitle")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about_label = QLabel()
        self.about_label.setObjectName("modelAbout")
        self.about_label.setWordWrap(True)
        self.about_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_button = QToolButton()
        self.details_button.setObjectName("modelDetailsToggle")
        self.details_button.setText(translate("InstalledView", "Details"))
        self.details_button.setToolTip(
            translate("InstalledView", "sha256, the file's path and every GGUF metadata key")
        )
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self.show_details)

        # Behind "Details": the technical facts and the raw metadata.
        self.facts_label = QLabel()
        self.facts_label.setObjectName("modelFacts")
        self.facts_label.setTextFormat(Qt.TextFormat.PlainText)  # GGUF metadata
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QTableWidget(0, 2)
        self.details.setObjectName("modelMetadata")
        self.details.setAccessibleName(translate("InstalledView", "GGUF metadata"))
        self.details.setHorizontalHeaderLabels(
            [translate("InstalledView", "Metadata key"), translate("InstalledView", "Value")]
        )
        self.details.verticalHeader().hide()
        self.details.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.details.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.details.horizontalHeader().setStretchLastSection(True)
        self.details.setWordWrap(False)
        self.details.setMinimumHeight(160)
        self.details_label = QLabel()
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)  # a model's name, errors
        self.details_label.setWordWrap(True)
        set_tone(self.details_label, "muted")
        self.details_pane = QWidget()
        pane_layout = QVBoxLayout(self.details_pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.addWidget(self.facts_label)
        pane_layout.addWidget(self.details_label)
        pane_layout.addWidget(self.details, 1)
        self.details_pane.hide()
        self._metadata_of: Path | None = None  # whose metadata the table holds or reads

        self.import_button = QPushButton(translate("InstalledView", "Import…"))
        self.import_button.setToolTip(
            translate(
                "InstalledView",
                "Add a .gguf file: copied into the models folder or used where it is",
            )
        )
        self.import_button.clicked.connect(self.choose_import)
        self.default_button = QPushButton(translate("InstalledView", "Set as default for"))
        menu = QMenu(self.default_button)
        for task in MODEL_TASKS:
            menu.addAction(task_word(task), lambda task=task: self.set_default(task))
        menu.addSeparator()
        menu.addAction(
            translate("InstalledView", "All tasks"), lambda: self.set_default(*MODEL_TASKS)
        )
        self.default_button.setMenu(menu)
        self.show_button = QPushButton(translate("InstalledView", "Show in folder"))
        self.show_button.setToolTip(
            translate("InstalledView", "Open the folder that holds the file in the file manager")
        )
        self.show_button.clicked.connect(self.show_in_folder)
        self.settings_button = QPushButton(translate("InstalledView", "Settings…"))
        self.settings_button.setObjectName("modelSettingsButton")
        self.settings_button.setToolTip(
            translate(
                "InstalledView",
                "This model's own context length, GPU layers, threads and chat template",
            )
        )
        self.settings_button.clicked.connect(self.open_settings)
        self.settings_dialog: ModelSettingsDialog | None = None
        self.quantize_button = QPushButton(translate("InstalledView", "Make smaller…"))
        self.quantize_button.setObjectName("quantizeButton")
        self.quantize_button.setToolTip(
            translate(
                "InstalledView",
                "Write a smaller quantization of this model with llama.cpp's quantizer: "
                "less memory and energy, somewhat worse answers",
            )
        )
        self.quantize_button.clicked.connect(self.open_quantize)
        self.quantize_dialog: QuantizeDialog | None = None
        self.remove_button = QPushButton(translate("InstalledView", "Remove…"))
        self.remove_button.clicked.connect(self.confirm_remove)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(140)
        self.progress.hide()
        self.cancel_button = QPushButton(translate("InstalledView", "Cancel"))
        self.cancel_button.clicked.connect(self.cancel_import)
        self.cancel_button.hide()

        buttons = QHBoxLayout()
        for widget in (
            self.import_button,
            self.default_button,
            self.settings_button,
            self.quantize_button,
            self.show_button,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.remove_button)

        card = QWidget()
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(4, 4, 4, 4)
        card_layout.addWidget(self.title_label)
        card_layout.addWidget(self.about_label)
        card_layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        card_layout.addWidget(self.details_pane, 1)
        card_layout.addStretch(0)
        scroll = QScrollArea()
        scroll.setObjectName("modelCard")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(card)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([170, 430])  # a few models; the chosen one in words gets the room
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        # One thread per kind of work: listing, measured figures, metadata, hashing, changes.
        self._pool = make_pool(self, "installed models", threads=5)
        self._workers: dict[str, Worker] = {}
        self._measured: dict[str, Measured] = {}
        self._stop = threading.Event()  # ends the copy in flight
        self._closing = threading.Event()  # ends the hash in flight
        self.busy = False
        self._update_buttons()
        self._show_card()
        self.refresh()

    # --- listing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """List the models again; headers, figures and hashes are read in the background."""
        models = self.services.registry.list()
        selected = self.selected()
        self.table_model.set_rows([InstalledRow(m) for m in models])
        if selected is not None:
            self.select(selected.name)
        self._run(
            "summaries",
            lambda: read_summaries(models),
            self._show_summaries,
            self.banner.show_message,
        )
        store = self.services.store
        self._run("measured", lambda: measured_here(store), self._show_measured, lambda _m: None)
        self._update_buttons()

    def _show_summaries(self, rows: object) -> None:
        assert isinstance(rows, list)
        selected = self.selected()
        settings = self.services.settings
        for row in rows:
            row.defaults = tuple(
                task_word(task) for task in tasks_defaulting_to(row.model.name, settings)
            )
            row.measured = self._measured.get(_model_key(row.model.path.name), Measured())
        self.table_model.set_rows(rows)
        if selected is not None:
            self.select(selected.name)
        self._show_card()
        self._hash_next()

    def _show_measured(self, measured: object) -> None:
        assert isinstance(measured, dict)
        self._measured = measured
        for index, row in enumerate(self.table_model.rows):
            row.measured = measured.get(_model_key(row.model.path.name), Measured())
            self.table_model.row_changed(index)
        self._show_card()

    def _hash_next(self) -> None:
        """Hash the first row without a sha256, then the next, one file at a time."""
        store = self.services.store
        for index, row in enumerate(self.table_model.rows):
            if row.sha256 is None and row.problem is None:
                path = row.model.path
                stop = self._closing

                def digest(path: Path = path, stop: threading.Event = stop) -> str:
                    return model_sha256(path, store, should_stop=stop.is_set)

                def done(value: object, index: int = index, path: Path = path) -> None:
                    rows = self.table_model.rows
                    if index < len(rows) and rows[index].model.path == path:
                        rows[index].sha256 = str(value)
                        self.table_model.row_changed(index)
                        if self.selected_row() is rows[index]:
                            self._show_facts(rows[index])
                    self._hash_next()

                self._run("hashing", digest, done, lambda _message: None)
                return

    def selected_row(self) -> InstalledRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.table_model.rows[indexes[0].row()]

    def selected(self) -> InstalledModel | None:
        row = self.selected_row()
        return row.model if row is not None else None

    def select(self, name: str) -> bool:
        for index, row in enumerate(self.table_model.rows):
            if row.model.name == name:
                self.table.selectRow(index)
                return True
        return False

    def _selection_changed(self) -> None:
        self._update_buttons()
        self._show_card()

    # --- the chosen model ----------------------------------------------------------------------

    def _show_card(self) -> None:
        """The chosen model in words; its details when they are open."""
        row = self.selected_row()
        self.details_button.setEnabled(row is not None)
        if row is None:
            self.title_label.setText("")
            self.about_label.setText(
                translate("InstalledView", "Choose a model to see what it is good for.")
            )
            self.facts_label.setText("")
            self.details_label.setText("")
            self.details.setRowCount(0)
            self._metadata_of = None
            return
        self.title_label.setText(f"<h3>{html_text(row.model.name)}</h3>")
        self.about_label.setText(self.about_html(row))
        if self.details_button.isChecked():
            self._show_facts(row)
            self._read_metadata(row.model)

    @staticmethod
    def about_html(row: InstalledRow) -> str:
        """What a person needs, one line each: good for, languages, size and context,
        measured here, default for, where."""
        # Every line is plain text (a model's name and broken reason, GGUF metadata, the
        # catalog), escaped here; the markup is only the app's own.
        lines = []
        if row.problem or row.model.broken:
            lines.append(html_text(row.status()))
        good_for = row.good_for()
        lines.append(
            html_text(good_for)
            or translate(
                "InstalledView",
                "Not one of the catalog's models, so the app cannot say what it is good for.",
            )
        )
        languages = row.languages()
        if languages:
            lines.append(
                html_text(
                    arg(translate("InstalledView", "Languages: %1"), language_names(languages))
                )
            )
        s = row.summary
        if s is not None:
            quantization = s.quantization or row.model.quantization
            size = arg(
                translate("InstalledView", "%1 parameters · %2 on disk · context %3 tokens"),
                s.parameters,
                format_bytes(row.model.size_bytes),
                QLocale().toString(s.context_length) if s.context_length else "?",
            )
            explained = explain_quantization(quantization)
            lines.append(f"{html_text(size)}<br>{muted_html(html_text(explained))}")
        else:
            lines.append(
                arg(translate("InstalledView", "%1 on disk"), format_bytes(row.model.size_bytes))
            )
        m = row.measured
        if m.tokens_per_second is None and m.joules_per_reply is None:
            lines.append(
                translate(
                    "InstalledView",
                    "Not used on this computer yet: its speed and energy per reply show "
                    "after it has answered.",
                )
            )
        else:
            parts = []
            if m.tokens_per_second is not None:
                parts.append(row.speed_text())
            if m.joules_per_reply is not None:
                parts.append(
                    arg(translate("InstalledView", "%1 per chat reply"), row.energy_text())
                )
            measured = arg(translate("InstalledView", "Measured here: %1"), " · ".join(parts))
            lines.append(html_text(measured))
        if row.defaults:
            lines.append(
                html_text(
                    arg(translate("InstalledView", "Default for %1"), list_words(row.defaults))
                )
            )
        else:
            lines.append(translate("InstalledView", "Not the default for any task."))
        made = row.model.made_from
        if made is not None:
            lines.append(html_text(made.note()))
        if not (row.problem or row.model.broken):
            lines.append(muted_html(html_text(row.status())))
        return "<br>".join(lines)

    def show_details(self, shown: bool) -> None:
        """Open or close "Details": sha256, the path, every GGUF metadata key."""
        if self.details_button.isChecked() != shown:
            self.details_button.setChecked(shown)  # comes back here through toggled
            return
        self.details_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.details_pane.setVisible(shown)
        row = self.selected_row()
        if shown and row is not None:
            self._show_facts(row)
            self._read_metadata(row.model)

    def _show_facts(self, row: InstalledRow) -> None:
        s = row.summary
        yes, no = translate("InstalledView", "yes"), translate("InstalledView", "no")
        facts = [
            arg(translate("InstalledView", "File: %1"), row.model.path),
            arg(
                translate("InstalledView", "sha256: %1"),
                row.sha256 or translate("InstalledView", "being computed…"),
            ),
        ]
        if s is not None:
            facts += [
                arg(translate("InstalledView", "Architecture: %1"), s.architecture or "?"),
                arg(
                    translate("InstalledView", "Quantization: %1"),
                    s.quantization or row.model.quantization or "?",
                ),
                arg(
                    translate("InstalledView", "Chat template in the file: %1"),
                    yes if s.has_chat_template else no,
                ),
                arg(translate("InstalledView", "Licence: %1"), s.licence or "?"),
            ]
        if row.catalog is not None:
            facts.append(arg(translate("InstalledView", "Catalog entry: %1"), row.catalog.repo))
        self.facts_label.setText("\n".join(facts))

    def _read_metadata(self, model: InstalledModel) -> None:
        if self._metadata_of == model.path:
            return
        self._metadata_of = model.path
        self.details.setRowCount(0)
        self.details_label.setText(
            arg(translate("InstalledView", "Reading the metadata of %1…"), model.name)
        )
        self._run(
            "metadata",
            lambda: gguf_metadata(model.path),
            lambda rows: self._show_metadata(model, rows),
            self._metadata_failed,
        )

    def _metadata_failed(self, message: str) -> None:
        self._metadata_of = None  # read again when chosen again
        self.details_label.setText(message)

    def _show_metadata(self, model: InstalledModel, rows: object) -> None:
        assert isinstance(rows, list)
        self.details_label.setText(
            translate("InstalledView", "%n GGUF metadata key(s)", None, PLURAL, len(rows))
        )
        self.details.setRowCount(len(rows))
        for index, (key, value) in enumerate(rows):
            self.details.setItem(index, 0, QTableWidgetItem(key))
            item = QTableWidgetItem(value if len(value) <= 300 else value[:300] + "…")
            item.setToolTip(plain_rich_text(value[:4000]))
            self.details.setItem(index, 1, item)

    def _update_buttons(self) -> None:
        model = self.selected()
        chosen = model is not None and not self.busy
        self.default_button.setEnabled(chosen)
        self.show_button.setEnabled(chosen)
        self.settings_button.setEnabled(chosen)
        row = self.selected_row()
        self.quantize_button.setEnabled(chosen and row is not None and row.problem is None)
        self.remove_button.setEnabled(chosen and model is not None and model.removable)
        self.import_button.setEnabled(not self.busy)
        if model is not None and not model.removable:
            self.remove_button.setToolTip(
                translate("InstalledView", "The starter model comes with the app.")
            )
        else:
            self.remove_button.setToolTip(
                translate("InstalledView", "Delete the file (or forget a file used in place)")
            )

    # --- actions -----------------------------------------------------------------------------

    def set_default(self, *tasks: str) -> None:
        """Make the selected model the default of these tasks ('chat', 'translate'...)."""
        model = self.selected()
        if model is None:
            return
        try:
            save_default_model(self.services.settings, model.name, tasks)
        except UserError as exc:
            self.banner.show_message(str(exc))  # it still holds for this session
        else:
            names = [task_word(task) for task in MODEL_TASKS if task in tasks]
            self.status.emit(
                arg(
                    translate("InstalledView", "%1 is now the default for %2."),
                    model.name,
                    list_words(names),
                )
            )
        self.models_changed.emit()
        self.refresh()

    def open_settings(self) -> ModelSettingsDialog | None:
        """The selected model's own engine settings, in a small dialog (window-modal)."""
        model = self.selected()
        if model is None:
            return None
        dialog = ModelSettingsDialog(self.services, model, self)
        dialog.saved.connect(self.status)
        dialog.finished.connect(dialog.deleteLater)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def open_quantize(self) -> QuantizeDialog | None:
        """ "Make smaller…": choose a type and make it (window-modal, never blocking)."""
        model = self.selected()
        if model is None:
            return None
        dialog = QuantizeDialog(self.services, model, self)
        dialog.made.connect(self._quantized)
        dialog.finished.connect(dialog.deleteLater)
        self.quantize_dialog = dialog
        dialog.open()
        return dialog

    def _quantized(self, model: object, done: object) -> None:
        assert isinstance(model, InstalledModel) and isinstance(done, Quantized)
        self.status.emit(
            arg(
                translate("InstalledView", "Made %1 (%2, %3% smaller) in %4 s."),
                model.name,
                format_bytes(done.size_bytes),
                QLocale().toString(round(100 * done.saved_fraction)),
                QLocale().toString(done.seconds, "f", 1),
            )
        )
        self.models_changed.emit()
        self.refresh()
        self.select(model.name)

    def show_in_folder(self) -> None:
        model = self.selected()
        if model is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(model.path.parent)))

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("InstalledView", "Import a GGUF model"),
            "",
            translate("InstalledView", "GGUF models (*.gguf);;All files (*)"),
        )
        if path:
            self.check_then_import(Path(path))

    def check_then_import(self, path: Path) -> None:
        """Read the file's GGUF header first; only a good file gets the question whether to
        copy it or use it where it is. A bad one is refused with its reason."""
        self.banner.dismiss()
        self._set_busy(True)
        self.status.emit(arg(translate("InstalledView", "Checking %1…"), path.name))

        def checked(summary: object) -> None:
            self._set_busy(False)
            self.status.emit("")
            assert isinstance(summary, ModelSummary)
            choice = self.ask_how_to_import(path, summary)
            if choice is not None:
                self.import_file(path, copy=choice == "copy")

        self._run("changes", lambda: check_import(path), checked, self._failed)

    def ask_how_to_import(self, path: Path, summary: ModelSummary) -> ImportChoice | None:
        """Copy or in place, asked once the file is known to be good (tests replace it)."""
        box = QMessageBox(self)
        box.setWindowTitle(translate("InstalledView", "Import a model"))
        box.setText(arg(translate("InstalledView", "How should %1 be added?"), path.name))
        found = arg(
            translate("InstalledView", "A good GGUF file: %1, %2 parameters, %3."),
            summary.name,
            summary.parameters,
            summary.size_text,
        )
        box.setInformativeText(
            found
            + "\n\n"
            + translate(
                "InstalledView",
                "A copy in the models folder stays available if the original moves. "
                "Using it in place saves the disk space; the file stays yours and is never "
                "deleted.",
            )
        )
        copy = box.addButton(
            translate("InstalledView", "Copy into the models folder"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        in_place = box.addButton(
            translate("InstalledView", "Use it where it is"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is copy:
            return "copy"
        if box.clickedButton() is in_place:
            return "in place"
        return None

    def import_file(self, path: Path, *, copy: bool) -> None:
        """Validate, then copy or reference; a bad file is refused with its reason."""
        registry = self.services.registry
        self._stop = threading.Event()
        stop = self._stop
        worker: Worker | None = None

        def progress(done: int, total: int) -> None:
            # The pool may begin before _run() returns the worker: a report that early is
            # dropped (the next one moves the bar) rather than failing the import.
            if worker is not None:
                worker.report((done, total))

        def work() -> InstalledModel:
            if copy:
                return registry.import_copy(path, progress=progress, should_stop=stop.is_set)
            return registry.import_reference(path)

        self.banner.dismiss()
        self._set_busy(True, cancellable=copy)
        self.status.emit(arg(translate("InstalledView", "Checking %1…"), path.name))
        worker = self._run("changes", _cancellable(work), self._imported, self._failed)
        worker.yielded.connect(lambda progress: self._on_copy_progress(*progress))

    def _failed(self, message: str) -> None:
        """A change failed: the banner says why, and no stale 'Checking…' stays behind."""
        self._set_busy(False)
        self.status.emit("")
        self.banner.show_message(message)

    def _imported(self, result: object) -> None:
        self._set_busy(False)
        if result is None:
            self.status.emit(translate("InstalledView", "Import cancelled; nothing was kept."))
            return
        assert isinstance(result, InstalledModel)
        self.status.emit(
            arg(
                translate("InstalledView", "Imported %1 (%2)."),
                result.name,
                format_bytes(result.size_bytes),
            )
        )
        self.models_changed.emit()
        self.refresh()
        self.select(result.name)

    def cancel_import(self) -> None:
        self._stop.set()

    def _on_copy_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(done * 1000 / total) if total else 0)
        self.status.emit(
            arg(
                translate("InstalledView", "Copying… %1 of %2"),
                format_bytes(done),
                format_bytes(total),
            )
        )

    def confirm_remove(self) -> None:
        model = self.selected()
        if model is None or not model.removable:
            return
        if model.source == "imported":
            text = arg(
                translate(
                    "InstalledView",
                    "Stop using %1? The file stays where it is (%2); no disk space is freed.",
                ),
                model.name,
                model.path,
            )
        else:
            text = arg(
                translate(
                    "InstalledView",
                    "Delete %1? This frees %2 and cannot be undone. "
                    "Chats that used it keep their text.",
                ),
                model.name,
                format_bytes(model.size_bytes),
            )
        answer = QMessageBox.question(
            self,
            translate("InstalledView", "Remove model"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(model)

    def remove(self, model: InstalledModel) -> None:
        registry = self.services.registry

        def removed(freed: object) -> None:
            self._set_busy(False)
            assert isinstance(freed, int)
            self.status.emit(
                arg(
                    translate("InstalledView", "Removed %1; %2 freed."),
                    model.name,
                    format_bytes(freed),
                )
                if freed
                else arg(
                    translate(
                        "InstalledView", "%1 is no longer used; its file was left where it is."
                    ),
                    model.name,
                )
            )
            self.models_changed.emit()
            self.refresh()

        self.banner.dismiss()
        self._set_busy(True)
        self._run("changes", lambda: registry.remove(model), removed, self._failed)

    def _set_busy(self, busy: bool, *, cancellable: bool = False) -> None:
        self.busy = busy
        self.progress.setRange(0, 0)  # busy until a copy reports its progress
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy and cancellable)
        self._update_buttons()

    def _run(
        self,
        kind: str,
        call: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
    ) -> Worker:
        worker = run_in_pool(
            self._pool, call, on_result, on_error, replaces=self._workers.get(kind)
        )
        self._workers[kind] = worker
        return worker

    def shutdown(self) -> None:
        if self.settings_dialog is not None and shiboken6.isValid(self.settings_dialog):
            self.settings_dialog.reject()
        if self.quantize_dialog is not None and shiboken6.isValid(self.quantize_dialog):
            self.quantize_dialog.reject()
        self._stop.set()
        self._closing.set()
        stop_pool(self._pool, *self._workers.values())


def _cancellable(work: Any) -> Any:
    """A Cancelled import gives None (a quiet 'cancelled') instead of an error message."""

    def run() -> object:
        try:
            return work()
        except Cancelled:
            return None

    return run
