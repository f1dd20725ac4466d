"""The model manager's Installed tab: every model on this machine, what it is, and actions.

Reading headers, hashing, copying and deleting run as Workers (ui/common/worker.py) in the
view's pool, one of each kind at a time (a newer request of a kind drops the older one's
result); their results come back to the GUI thread. sha256 is computed once per file (size and mtime
unchanged) and kept in the database's model_hashes cache, which the generation records use
too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.default_models import MODEL_TASKS, save_default_model, tasks_defaulting_to
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.models import (
    Cancelled,
    InstalledModel,
    ModelSummary,
    format_bytes,
    gguf_metadata,
    model_sha256,
    read_gguf,
)
from desktop_llm.core.services import Services
from desktop_llm.ui.common.error_banner import ErrorBanner
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool

# The column headers, shown through translate("InstalledView", ...) ("sha256" stays as is).
COLUMNS = (
    QT_TRANSLATE_NOOP("InstalledView", "Name"),
    QT_TRANSLATE_NOOP("InstalledView", "Architecture"),
    QT_TRANSLATE_NOOP("InstalledView", "Parameters"),
    QT_TRANSLATE_NOOP("InstalledView", "Quantization"),
    QT_TRANSLATE_NOOP("InstalledView", "Size"),
    QT_TRANSLATE_NOOP("InstalledView", "Context"),
    QT_TRANSLATE_NOOP("InstalledView", "Chat template"),
    QT_TRANSLATE_NOOP("InstalledView", "Licence"),
    "sha256",
    QT_TRANSLATE_NOOP("InstalledView", "Status"),
)
SOURCE_WORDS = {
    "bundled": QT_TRANSLATE_NOOP("InstalledView", "comes with the app"),
    "local": QT_TRANSLATE_NOOP("InstalledView", "in the models folder"),
}
# The tasks a model can be the default for, as the menu and the Status column name them.
TASK_WORDS = {
    "chat": QT_TRANSLATE_NOOP("InstalledView", "Chat"),
    "translate": QT_TRANSLATE_NOOP("InstalledView", "Translate"),
    "summarize": QT_TRANSLATE_NOOP("InstalledView", "Summarize"),
    "sentiment": QT_TRANSLATE_NOOP("InstalledView", "Sentiment"),
}


def task_word(task: str) -> str:
    """'Chat', 'Translate'... in the window's language."""
    word = TASK_WORDS.get(task)
    return translate("InstalledView", word) if word is not None else task.capitalize()


def list_words(words: list[str] | tuple[str, ...]) -> str:
    """'Chat, Translate' (the separator is the language's: '、' in Chinese)."""
    return translate("InstalledView", ", ", "separator between list items").join(words)


@dataclass
class InstalledRow:
    model: InstalledModel
    summary: ModelSummary | None = None
    problem: str | None = None  # why the header could not be read
    sha256: str | None = None
    defaults: tuple[str, ...] = ()

    def status(self) -> str:
        if self.model.broken:
            return arg(translate("InstalledView", "Broken: %1"), self.model.broken)
        if self.problem:
            return arg(translate("InstalledView", "Not usable: %1"), self.problem)
        source = SOURCE_WORDS.get(self.model.source)
        if source is not None:
            where = translate("InstalledView", source)
        else:
            where = arg(translate("InstalledView", "used in place (%1)"), self.model.path.parent)
        if self.defaults:
            return arg(
                translate("InstalledView", "Default for %1 · %2"), list_words(self.defaults), where
            )
        return where


def read_summaries(models: list[InstalledModel]) -> list[InstalledRow]:
    """Runs in a pool: every model's GGUF header (a bad file gets its reason, not a crash)."""
    rows = []
    for model in models:
        try:
            rows.append(InstalledRow(model, ModelSummary.from_info(read_gguf(model.path))))
        except (UserError, OSError) as exc:
            rows.append(InstalledRow(model, problem=str(exc)))
    return rows


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
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, COLUMNS[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            if COLUMNS[index.column()] == "sha256":
                return row.sha256 or translate("InstalledView", "Being computed…")
            return f"{row.model.path}\n{row.status()}"
        if role == Qt.ItemDataRole.ForegroundRole and (row.model.broken or row.problem):
            return Qt.GlobalColor.darkRed
        return None

    @staticmethod
    def _text(row: InstalledRow, column: str) -> str:
        s = row.summary
        if column == "Name":
            return row.model.name
        if column == "Size":
            return format_bytes(row.model.size_bytes)
        if column == "Status":
            return row.status()
        if column == "sha256":
            return f"{row.sha256[:12]}…" if row.sha256 else "…"
        if s is None:
            return "" if row.problem else "…"
        values = {
            "Architecture": s.architecture or "?",
            "Parameters": s.parameters,
            "Quantization": s.quantization or row.model.quantization or "?",
            "Context": f"{s.context_length:,}" if s.context_length else "?",
            "Chat template": (
                translate("InstalledView", "yes")
                if s.has_chat_template
                else translate("InstalledView", "no")
            ),
            "Licence": s.licence or "",
        }
        return values[column]


class InstalledView(QWidget):
    """Lists the installed models; import, set as default, show in folder, remove."""

    models_changed = Signal()  # a model was imported or removed, or a default changed
    status = Signal(str)  # one line for the dialog's status

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = ErrorBanner()
        self.table_model = InstalledTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("installedModels")
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.details = QTableWidget(0, 2)
        self.details.setObjectName("modelMetadata")
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
        self.details_label = QLabel(
            translate("InstalledView", "Choose a model to see all of its GGUF metadata.")
        )
        self.details_label.setWordWrap(True)

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
        for widget in (self.import_button, self.default_button, self.show_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.remove_button)

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.details_label)
        details_layout.addWidget(self.details, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        # One thread per kind of work: listing, metadata, hashing and changes (import, remove).
        self._pool = make_pool(self, "installed models", threads=4)
        self._workers: dict[str, Worker] = {}
        self._stop = threading.Event()  # ends the copy in flight
        self._closing = threading.Event()  # ends the hash in flight
        self.busy = False
        self._update_buttons()
        self.refresh()

    # --- listing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """List the models again; headers and hashes are read in the background."""
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
        self._update_buttons()

    def _show_summaries(self, rows: object) -> None:
        assert isinstance(rows, list)
        selected = self.selected()
        settings = self.services.settings
        for row in rows:
            row.defaults = tuple(
                task_word(task) for task in tasks_defaulting_to(row.model.name, settings)
            )
        self.table_model.set_rows(rows)
        if selected is not None:
            self.select(selected.name)
        self._hash_next()

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
                    self._hash_next()

                self._run("hashing", digest, done, lambda _message: None)
                return

    def selected(self) -> InstalledModel | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.table_model.rows[indexes[0].row()].model

    def select(self, name: str) -> bool:
        for index, row in enumerate(self.table_model.rows):
            if row.model.name == name:
                self.table.selectRow(index)
                return True
        return False

    def _selection_changed(self) -> None:
        self._update_buttons()
        model = self.selected()
        self.details.setRowCount(0)
        if model is None:
            self.details_label.setText(
                translate("InstalledView", "Choose a model to see all of its GGUF metadata.")
            )
            return
        self.details_label.setText(
            arg(translate("InstalledView", "Reading the metadata of %1…"), model.name)
        )
        self._run(
            "metadata",
            lambda: gguf_metadata(model.path),
            lambda rows: self._show_metadata(model, rows),
            lambda message: self.details_label.setText(message),
        )

    def _show_metadata(self, model: InstalledModel, rows: object) -> None:
        assert isinstance(rows, list)
        self.details_label.setText(
            arg(
                translate("InstalledView", "%1: %2 metadata keys. %3"),
                model.name,
                len(rows),
                model.path,
            )
        )
        self.details.setRowCount(len(rows))
        for index, (key, value) in enumerate(rows):
            self.details.setItem(index, 0, QTableWidgetItem(key))
            item = QTableWidgetItem(value if len(value) <= 300 else value[:300] + "…")
            item.setToolTip(value[:4000])
            self.details.setItem(index, 1, item)

    def _update_buttons(self) -> None:
        model = self.selected()
        chosen = model is not None and not self.busy
        self.default_button.setEnabled(chosen)
        self.show_button.setEnabled(chosen)
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
        if not path:
            return
        box = QMessageBox(self)
        box.setWindowTitle(translate("InstalledView", "Import a model"))
        box.setText(arg(translate("InstalledView", "How should %1 be added?"), Path(path).name))
        box.setInformativeText(
            translate(
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
            self.import_file(Path(path), copy=True)
        elif box.clickedButton() is in_place:
            self.import_file(Path(path), copy=False)

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

        def failed(message: str) -> None:
            self._set_busy(False)
            self.banner.show_message(message)

        self._set_busy(True, cancellable=copy)
        self.status.emit(arg(translate("InstalledView", "Checking %1…"), path.name))
        worker = self._run("changes", _cancellable(work), self._imported, failed)
        worker.yielded.connect(lambda progress: self._on_copy_progress(*progress))

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

        def failed(message: str) -> None:
            self._set_busy(False)
            self.banner.show_message(message)

        self._set_busy(True)
        self._run("changes", lambda: registry.remove(model), removed, failed)

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
