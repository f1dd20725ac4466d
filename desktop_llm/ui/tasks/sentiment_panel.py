"""Sentiment: one text (its label and each label's probability) or a batch of texts.

A batch comes from pasted lines, a .txt file (one item per line) or a .csv file (one
column, chosen from its header; the likely text column is picked first). Results fill a
table as they arrive: the model appends one row per SentimentResult (beginInsertRows, never
a rebuild), and the label-count chart is redrawn at most a few times a second from counts
kept up to date in O(1) per result. Export CSV writes the stored items, with every column
of the input CSV, in the file pool.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.display_text import plain_rich_text
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, csv_encoding, translate
from desktop_llm.core.models import format_bytes
from desktop_llm.core.tasks.batch_input import (
    export_results,
    read_csv_batch,
    rows_from_csv,
    rows_from_lines,
)
from desktop_llm.core.tasks.events import SentimentResult, TaskEnded, TaskStarted
from desktop_llm.core.tasks.outcome import warning
from desktop_llm.core.tasks.sentiment import LABELS
from desktop_llm.core.tasks.service import TaskRun
from desktop_llm.core.text_files import read_text_file
from desktop_llm.ui.common.elided_label import ElidedLabel
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.tasks.panel import StartRun, TaskPanel
from desktop_llm.ui.tasks.sentiment_bars import (
    LabelBars,
    label_color,
    label_count,
    label_name,
    label_title,
    no_probabilities,
)
from desktop_llm.ui.tasks.sentiment_chart import LabelCountChart
from desktop_llm.ui.tasks.text_loader import PlainTextLoader

SINGLE, BATCH = "single", "batch"
CHART_INTERVAL_S = 0.25  # the chart and the counts line redraw at most this often
DISPLAY_CHARS = 400  # of each text in the table; the tooltip has more


@dataclass(frozen=True)
class ResultRow:
    position: int
    text: str
    label: str
    # None: the engine gave no probabilities (shown as "—", never made up)
    p_positive: float | None
    p_negative: float | None
    p_neutral: float | None
    truncated: bool = False


@dataclass(frozen=True)
class CsvInput:
    name: str
    text: str
    columns: list[str]
    guessed: str
    rows: int
    encoding: str
    size: int
    header: bool = True  # whether the first row names the columns (the core decides)


class ResultsModel(QAbstractTableModel):
    """The batch results, one row per item; rows are only ever appended or reset."""

    HEADERS = (
        "#",
        QT_TRANSLATE_NOOP("SentimentPanel", "Text"),
        QT_TRANSLATE_NOOP("SentimentPanel", "Label"),
        QT_TRANSLATE_NOOP("SentimentPanel", "Positive"),
        QT_TRANSLATE_NOOP("SentimentPanel", "Negative"),
        QT_TRANSLATE_NOOP("SentimentPanel", "Neutral"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ResultRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return translate("SentimentPanel", self.HEADERS[section])
        return None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.position + 1
            if column == 1:
                return " ".join(row.text[:DISPLAY_CHARS].split())
            if column == 2:
                return label_name(row.label)
            value = (row.p_positive, row.p_negative, row.p_neutral)[column - 3]
            return "—" if value is None else f"{value:.1%}"
        if role == Qt.ItemDataRole.ToolTipRole and column >= 3:
            value = (row.p_positive, row.p_negative, row.p_neutral)[column - 3]
            return no_probabilities() if value is None else None
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            if not row.truncated:
                return row.text[:2000]
            note = translate("SentimentPanel", "(Too long for the model: only its start was read.)")
            return f"{row.text[:2000]}\n\n{note}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return label_color(row.label)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 1:
            align = Qt.AlignmentFlag
            horizontal = align.AlignHCenter if column == 2 else align.AlignRight
            return int(horizontal | align.AlignVCenter)
        return None

    def append(self, row: ResultRow) -> None:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()

    def set_rows(self, rows: Sequence[ResultRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ResultRow]:
        return list(self._rows)


def _read_batch(path: Path) -> tuple[str, CsvInput | None, int]:
    """In the file pool: the file's text, and for a CSV its columns and likely text column."""
    decoded = read_text_file(path)
    size = path.stat().st_size
    if path.suffix.lower() not in (".csv", ".tsv"):
        return decoded.text, None, size
    batch = read_csv_batch(decoded.text)  # the core guesses the text column
    csv_input = CsvInput(
        path.name,
        decoded.text,
        batch.columns,
        batch.column,
        len(batch.rows),
        decoded.encoding,
        size,
        batch.header,
    )
    return decoded.text, csv_input, size


class SentimentPanel(TaskPanel):
    task = "sentiment"
    title = QT_TRANSLATE_NOOP("TaskPanel", "Sentiment")
    noun = QT_TRANSLATE_NOOP("TaskPanel", "sentiment run")
    plural = QT_TRANSLATE_NOOP("TaskPanel", "sentiment runs")
    run_text = QT_TRANSLATE_NOOP("TaskPanel", "Classify")
    working_text = QT_TRANSLATE_NOOP("TaskPanel", "Classifying…")

    exported = Signal(str)  # the path of a written CSV file

    def _build_body(self) -> QWidget:
        self.mode = SINGLE
        self._run_mode = SINGLE
        self.csv_input: CsvInput | None = None
        self.counts: Counter[str] = Counter()
        self._chart_drawn_at = 0.0

        self.single_button = QPushButton(translate("SentimentPanel", "One text"))
        self.batch_button = QPushButton(translate("SentimentPanel", "Batch"))
        self.mode_group = QButtonGroup(self)
        for button in (self.single_button, self.batch_button):
            button.setCheckable(True)
            self.mode_group.addButton(button)
        self.single_button.setChecked(True)
        self.single_button.setToolTip(translate("SentimentPanel", "Classify one text"))
        self.batch_button.setToolTip(
            translate("SentimentPanel", "Classify many texts: one per line, or a CSV column")
        )
        self.single_button.clicked.connect(lambda: self.set_mode(SINGLE))
        self.batch_button.clicked.connect(lambda: self.set_mode(BATCH))
        self.open_button = QPushButton(translate("SentimentPanel", "Open file…"))
        self.open_button.setToolTip(
            translate("SentimentPanel", "A .txt file (one text per line) or a .csv file")
        )
        self.open_button.clicked.connect(self._choose_file)
        self.column_label = QLabel(translate("SentimentPanel", "Column:"))
        self.column_combo = QComboBox()
        self.column_combo.setObjectName("csvColumn")
        self.column_combo.setToolTip(
            translate("SentimentPanel", "The CSV column that holds the texts")
        )
        self.column_label.setBuddy(self.column_combo)
        self.file_label = ElidedLabel(elide=Qt.TextElideMode.ElideMiddle)
        self.file_label.setObjectName("fileInfo")
        self.file_label.setEnabled(False)
        row = self.options_row
        row.addWidget(self.single_button)
        row.addWidget(self.batch_button)
        row.addSpacing(12)
        row.addWidget(self.file_label)
        row.addWidget(self.column_label)
        row.addWidget(self.column_combo)
        row.addStretch(1)
        row.addWidget(self.open_button)

        self.export_button = QPushButton(translate("SentimentPanel", "Export CSV…"))
        self.export_button.setToolTip(
            translate(
                "SentimentPanel",
                "Save the results as CSV: the input's columns, the label and the probabilities",
            )
        )
        self.export_button.clicked.connect(self._choose_export)
        self.extra_buttons.addWidget(self.export_button)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_single())
        self.stack.addWidget(self._build_batch())
        self.set_mode(SINGLE)
        return self.stack

    def _build_single(self) -> QWidget:
        self.single_input = QPlainTextEdit()
        self.single_input.setObjectName("sentimentInput")
        self.single_input.setAccessibleName(translate("SentimentPanel", "Text to classify"))
        self.single_input.setPlaceholderText(
            translate(
                "SentimentPanel",
                "Type or paste a text to classify as positive, negative or neutral.\n"
                "Ctrl+Enter classifies.",
            )
        )
        self.result_label = QLabel()
        self.result_label.setObjectName("sentimentLabel")
        font = QFont(self.result_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.result_label.setFont(font)
        self.bars = LabelBars()
        self.truncated_note = QLabel(
            translate("SentimentPanel", "Only the start of this text was read: it is too long.")
        )
        self.truncated_note.setEnabled(False)
        self.truncated_note.setWordWrap(True)
        self.truncated_note.hide()
        result = QWidget()
        result_column = QVBoxLayout(result)
        result_column.setContentsMargins(0, 6, 0, 0)
        result_column.addWidget(self.result_label)
        result_column.addWidget(self.bars)
        result_column.addWidget(self.truncated_note)
        result_column.addStretch(1)
        page = QSplitter(Qt.Orientation.Vertical)
        page.addWidget(self.single_input)
        page.addWidget(result)
        page.setChildrenCollapsible(False)
        page.setSizes([260, 200])
        return page

    def _build_batch(self) -> QWidget:
        self.batch_input = QPlainTextEdit()
        self.batch_input.setObjectName("batchInput")
        self.batch_input.setAccessibleName(
            translate("SentimentPanel", "Texts to classify, one per line")
        )
        self.batch_loader = PlainTextLoader(self.batch_input)
        self.batch_input.setPlaceholderText(
            translate(
                "SentimentPanel",
                "One text per line, or open a .txt or .csv file. Ctrl+Enter classifies them all.",
            )
        )
        self.batch_input.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.batch_note = QLabel()
        self.batch_note.setEnabled(False)
        self.batch_input.document().contentsChanged.connect(self._update_batch_note)

        self.results = ResultsModel()
        self.table = QTableView()
        self.table.setObjectName("sentimentTable")
        self.table.setAccessibleName(translate("SentimentPanel", "Results"))
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # Fixed sizes: a ResizeToContents mode would measure every row on every insert.
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        digit = self.fontMetrics().horizontalAdvance("0")
        for column, chars in ((0, 5), (2, 9), (3, 7), (4, 7), (5, 7)):
            self.table.setColumnWidth(column, digit * chars + 12)

        self.chart = LabelCountChart()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("labelCounts")
        self.counts_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counts_label.setWordWrap(True)  # the chart's column may be narrow
        chart_box = QWidget()
        chart_column = QVBoxLayout(chart_box)
        chart_column.setContentsMargins(0, 0, 0, 0)
        chart_column.addWidget(self.chart, 1)
        chart_column.addWidget(self.counts_label)

        input_box = QWidget()
        input_column = QVBoxLayout(input_box)
        input_column.setContentsMargins(0, 0, 0, 0)
        input_column.addWidget(self.batch_input, 1)
        input_column.addWidget(self.batch_note)
        results = QSplitter(Qt.Orientation.Horizontal)
        results.addWidget(self.table)
        results.addWidget(chart_box)
        results.setStretchFactor(0, 3)
        results.setStretchFactor(1, 1)
        results.setSizes([640, 200])
        results.setChildrenCollapsible(False)
        page = QSplitter(Qt.Orientation.Vertical)
        page.addWidget(input_box)
        page.addWidget(results)
        page.setSizes([170, 380])
        page.setChildrenCollapsible(False)
        self._update_batch_note()
        return page

    # --- mode and input --------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        batch = mode == BATCH
        (self.batch_button if batch else self.single_button).setChecked(True)
        self.stack.setCurrentIndex(1 if batch else 0)
        self.open_button.setVisible(batch)
        self.export_button.setVisible(batch)
        self._show_csv_controls()
        self._update_export()

    def _show_csv_controls(self) -> None:
        batch = self.mode == BATCH
        has_csv = self.csv_input is not None
        self.column_label.setVisible(batch and has_csv)
        self.column_combo.setVisible(batch and has_csv)
        self.file_label.setVisible(batch)

    def _update_batch_note(self) -> None:
        if self.csv_input is not None:
            return
        lines = self.batch_input.document().blockCount()  # O(1); empty lines are skipped later
        empty = self.batch_input.document().characterCount() <= 1
        note = translate("SentimentPanel", "%1 lines: each non-empty line is a text")
        self.batch_note.setText("" if empty else arg(note, f"{lines:,}"))

    def _choose_file(self) -> None:
        path = self.choose_file(
            translate("SentimentPanel", "Open texts to classify"),
            arg(
                translate("SentimentPanel", "Texts and tables (%1);;All files (*)"),
                "*.txt *.csv *.tsv",
            ),
        )
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        self.set_mode(BATCH)
        self.read_in_background(path, lambda: _read_batch(path), lambda r: self._loaded(path, *r))

    def _loaded(self, path: Path, text: str, csv_input: CsvInput | None, size: int) -> None:
        self.csv_input = csv_input
        self.batch_input.setReadOnly(csv_input is not None)
        self.batch_loader.set_text(text, lambda: self._shown(path, csv_input, size))

    def _shown(self, path: Path, csv_input: CsvInput | None, size: int) -> None:
        if csv_input is None:
            self.file_label.setText(f"{path.name} ({format_bytes(size)})")
            self.set_status(
                arg(translate("SentimentPanel", "Opened %1: one text per line."), path.name)
            )
        else:
            self.column_combo.clear()
            self.column_combo.addItems(csv_input.columns)
            self.column_combo.setCurrentText(csv_input.guessed)
            rows = translate("SentimentPanel", "%1 (%2 rows)")
            self.file_label.setText(arg(rows, path.name, f"{csv_input.rows:,}"))
            self.batch_note.setText(
                translate(
                    "SentimentPanel",
                    "A CSV file: pick the column to classify. Clear to type lines instead.",
                )
            )
            self.set_status(
                arg(
                    translate("SentimentPanel", "Opened %1: column “%2” looks like the texts."),
                    path.name,
                    csv_input.guessed,
                )
            )
        self.file_label.setToolTip(plain_rich_text(str(path)))
        self._show_csv_controls()
        self.file_loaded.emit(path.name)

    def column(self) -> str | None:
        return self.column_combo.currentText() if self.csv_input is not None else None

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.single_input.setReadOnly(not enabled)
        self.batch_input.setReadOnly(not enabled or self.csv_input is not None)
        for widget in (self.single_button, self.batch_button, self.open_button, self.column_combo):
            widget.setEnabled(enabled)
        self._update_export()

    def focus_input(self) -> None:
        (self.batch_input if self.mode == BATCH else self.single_input).setFocus()

    # --- running ---------------------------------------------------------------------------

    def make_run(self) -> StartRun | None:
        tasks, model = self.services.tasks, self.model_picker.current_name()
        self._run_mode = self.mode
        if self.mode == SINGLE:
            text = self.single_input.toPlainText()
            if not text.strip():
                raise UserError(
                    translate("SentimentPanel", "There is no text to classify. Type or paste one.")
                )
            return lambda: tasks.sentiment(text, model=model)
        if self.csv_input is not None:
            csv_text, name, column = self.csv_input.text, self.csv_input.name, self.column()
            header = self.csv_input.header  # read as it was when the file was opened
            # Parsed in the engine thread: a big CSV costs the window nothing.
            return lambda: tasks.sentiment_batch(
                rows_from_csv(csv_text, column, header),
                source_name=name,
                column=column,
                model=model,
            )
        text = self.batch_loader.text_to_run(
            translate(
                "SentimentPanel",
                "There is nothing to classify. Put one text per line, or open a file.",
            )
        )
        return lambda: tasks.sentiment_batch(rows_from_lines(text), model=model)

    def begin_output(self) -> None:
        if self._run_mode == SINGLE:
            self._show_single(None)
        else:
            self.results.set_rows([])
            self.counts = Counter()
            self._draw_counts()

    def on_event(self, event: object) -> None:
        if isinstance(event, SentimentResult):
            row = ResultRow(
                event.position,
                event.text,
                event.label,
                event.probabilities.get("positive"),
                event.probabilities.get("negative"),
                event.probabilities.get("neutral"),
                event.truncated,
            )
            if self._run_mode == SINGLE:
                self._show_single(row)
                return
            bar = self.table.verticalScrollBar()
            at_end = bar.value() >= bar.maximum() - 2
            self.results.append(row)
            if at_end:
                self.table.scrollToBottom()
            self.counts[event.label] += 1
            if time.monotonic() - self._chart_drawn_at >= CHART_INTERVAL_S:
                self._draw_counts()
        elif isinstance(event, TaskStarted) and self._run_mode == BATCH:
            classifying = translate("SentimentPanel", "Classifying %1 texts…")
            self.set_status(arg(classifying, f"{event.total:,}"))
        elif isinstance(event, TaskEnded):
            if self._run_mode == BATCH:
                self._draw_counts()
            self._update_export()

    def handle_finished(self) -> None:
        super().handle_finished()
        if self._run_mode == BATCH:
            self._draw_counts()  # a run that failed midway still shows what it counted
        self._update_export()

    def _draw_counts(self) -> None:
        self._chart_drawn_at = time.monotonic()
        self.chart.set_counts(self.counts)
        total = sum(self.counts.values())
        self.counts_label.setText(
            " · ".join(label_count(self.counts[label], label) for label in LABELS) if total else ""
        )

    def _show_single(self, row: ResultRow | None) -> None:
        if row is None:
            self.result_label.clear()
            self.bars.clear()
            self.truncated_note.hide()
            return
        self.result_label.setText(label_title(row.label))
        set_tone(self.result_label, row.label if row.label in LABELS else None)
        self.bars.set_values(
            {"positive": row.p_positive, "negative": row.p_negative, "neutral": row.p_neutral}
        )
        self.truncated_note.setVisible(row.truncated)

    def ended_text(self, ended: TaskEnded) -> str:
        summary = ended.summary
        done, total = summary.get("items_done"), summary.get("items")
        if self._run_mode == SINGLE or done is None or total is None:
            return super().ended_text(ended)
        if ended.status == "complete":
            rate = summary.get("items_per_second")
            if rate:
                classified = translate("SentimentPanel", "Classified %1 texts (%2 per second).")
                text = arg(classified, f"{total:,}", f"{rate:.1f}")
            else:
                text = arg(translate("SentimentPanel", "Classified %1 texts."), f"{total:,}")
            # "Classified 200 texts (…). Unsure about 12 texts of 200: … A larger model…"
            said = warning(self.outcome)
            return f"{text} {said}" if said else text
        # Two sentences: the status, then "40 of 200 texts were classified."
        return arg(
            translate("SentimentPanel", "%1 %2 of %3 texts were classified."),
            super().ended_text(ended),
            f"{done:,}",
            f"{total:,}",
        )

    # --- export ----------------------------------------------------------------------------

    def _update_export(self) -> None:
        self.export_button.setEnabled(
            not self.running and self.conversation_id is not None and self.results.rowCount() > 0
        )

    def _choose_export(self) -> None:
        if self.conversation_id is None:
            return
        stem = Path(self.csv_input.name).stem if self.csv_input else "sentiment"
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("SentimentPanel", "Export the results"),
            f"{stem}-results.csv",
            arg(translate("SentimentPanel", "CSV files (%1)"), "*.csv"),
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> None:
        """Write the run's stored items (with their CSV columns) in the file pool."""
        conversation_id = self.conversation_id
        if conversation_id is None:
            self.show_error(translate("SentimentPanel", "There are no results to export yet."))
            return
        store = self.services.store
        encoding = csv_encoding(self.services.settings["ui.csv_bom"])

        def write() -> int:
            # The CLI's code: written whole or not at all (the dialog asked about replacing).
            return export_results(store, conversation_id, path, encoding=encoding)

        def written(count: int) -> None:
            exported = translate("SentimentPanel", "Exported %1 results to %2.")
            self.set_status(arg(exported, f"{count:,}", path.name))
            self.exported.emit(str(path))

        self.read_in_background(path, write, written)
        self.set_status(arg(translate("SentimentPanel", "Exporting to %1…"), path.name))

    # --- history ---------------------------------------------------------------------------

    def show_run(self, run: TaskRun) -> None:
        items = run.items
        rows = [
            ResultRow(i.position, i.text, i.label, i.p_positive, i.p_negative, i.p_neutral)
            for i in items
        ]
        options = run.conversation.options or {}
        single = len(items) == 1 and items[0].text == run.input_text
        self._run_mode = SINGLE if single else BATCH
        if single:
            self.set_mode(SINGLE)
            self.single_input.setPlainText(run.input_text)
            self._show_single(rows[0])
            return
        self._show_single(None)
        self.set_mode(BATCH)
        self.csv_input = None
        self.batch_input.setReadOnly(False)
        self.batch_loader.set_text("\n".join(" ".join(i.text.split()) for i in items))
        source = options.get("source_name")
        column = options.get("column")
        if source and column:
            source = arg(translate("SentimentPanel", "%1, column “%2”"), source, column)
        self.file_label.setText(source or "")
        self.results.set_rows(rows)
        self.counts = Counter(i.label for i in items)
        self._draw_counts()
        self._show_csv_controls()
        self._update_export()

    def open_run(self, conversation_id: int) -> None:
        super().open_run(conversation_id)
        self._update_export()

    def clear_panel(self) -> None:
        self.csv_input = None
        self.single_input.clear()
        self.batch_loader.cancel()
        self.batch_input.setReadOnly(False)
        self.batch_input.clear()
        self.file_label.clear()
        self.column_combo.clear()
        self._show_single(None)
        self.results.set_rows([])
        self.counts = Counter()
        self._draw_counts()
        self._show_csv_controls()
        self._update_batch_note()
        self._update_export()
        self.focus_input()
