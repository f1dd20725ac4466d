"""What the Translate, Summarize and Sentiment pages share: the TaskPanel.

A panel reads its inputs, hands the run to the TaskRunner (runner.py), and shows what the
run reports: progress, streamed output, the status line and what the run cost. Past runs
are listed on the left (run_history.py).

Files are read and written by a Worker (ui/common/worker.py) in the panel's own one-thread
pool: the GUI thread never waits for a disk or decodes a large file.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.default_models import default_model_for, save_default_model
from desktop_llm.core.energy.conversation_cost import conversation_cost
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.model_host import ModelLoading, ModelReady
from desktop_llm.core.models import InstalledModel
from desktop_llm.core.services import Services
from desktop_llm.core.tasks.events import TaskEnded, TaskNote, TaskProgress, TaskStarted
from desktop_llm.core.tasks.outcome import Outcome, warning
from desktop_llm.core.tasks.service import TaskRun
from desktop_llm.ui.common.elided_label import ElidedLabel
from desktop_llm.ui.common.error_banner import ErrorBanner
from desktop_llm.ui.common.layouts import with_sidebar
from desktop_llm.ui.common.model_picker import ModelPicker
from desktop_llm.ui.common.style import Tone, set_tone
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool
from desktop_llm.ui.tasks.run_history import RunHistory, when
from desktop_llm.ui.tasks.runner import StartRun, TaskRunner

log = logging.getLogger(__name__)

# What the status line under a panel says when a run ends, by status (translated where
# shown, context "TaskPanel", like the panels' titles and nouns).
ENDED_STATUS = {
    "complete": QT_TRANSLATE_NOOP("TaskPanel", "Done"),
    "stopped": QT_TRANSLATE_NOOP("TaskPanel", "Stopped. The partial result is kept."),
    "interrupted": QT_TRANSLATE_NOOP("TaskPanel", "Interrupted. The partial result is kept."),
    "error": QT_TRANSLATE_NOOP("TaskPanel", "The run failed."),
}
OPENED_STATUS = {
    "complete": QT_TRANSLATE_NOOP("TaskPanel", "complete"),
    "stopped": QT_TRANSLATE_NOOP("TaskPanel", "stopped before the end"),
    "interrupted": QT_TRANSLATE_NOOP("TaskPanel", "interrupted"),
    "error": QT_TRANSLATE_NOOP("TaskPanel", "failed"),
    "streaming": QT_TRANSLATE_NOOP("TaskPanel", "unfinished"),
}
NO_RESULT = QT_TRANSLATE_NOOP("TaskPanel", "with no result")
# The widest "Use <model>" button, in pixels (the name is elided beyond).
LARGER_MODEL_WIDTH = 240

# The progress labels a run reports (English data from core/tasks/service.py), as shown.
_COUNTED_PROGRESS = re.compile(r"(part|item|combining) (\d+) of (\d+)")


def progress_text(label: str) -> str:
    """A run's progress label for the line beside the progress bar: "part 3 of 12" is
    shown as "Part 3 of 12" (in the window's language); an unknown label as it is."""
    counted = _COUNTED_PROGRESS.fullmatch(label)
    if counted is not None:
        kind, done, total = counted.groups()
        if kind == "part":
            text = translate("TaskPanel", "Part %1 of %2")
        elif kind == "item":
            text = translate("TaskPanel", "Item %1 of %2")
        else:
            text = translate("TaskPanel", "Combining %1 of %2")
        return arg(text, done, total)
    if label == "combining":
        return translate("TaskPanel", "Combining")
    if label == "summarizing":
        return translate("TaskPanel", "Summarizing")
    return label[:1].upper() + label[1:]


# --- the panel -----------------------------------------------------------------------------


def side_by_side(left: Sequence[QWidget], right: Sequence[QWidget]) -> QSplitter:
    """Two columns (input | output) in a splitter; the first widget of each stretches."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    for widgets in (left, right):
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, widget in enumerate(widgets):
            layout.addWidget(widget, 1 if index == 0 else 0)
        splitter.addWidget(column)
    splitter.setChildrenCollapsible(False)
    return splitter


def append_streamed(view: QTextEdit | QPlainTextEdit, text: str) -> None:
    """Add streamed text at the end; follow it only if the reader was already at the end."""
    bar = view.verticalScrollBar()
    at_end = bar.value() >= bar.maximum() - 4
    cursor = QTextCursor(view.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(text)
    if at_end:
        bar.setValue(bar.maximum())


class TaskPanel(QWidget):
    """A task's page: past runs on the left; model, options, input, output, progress."""

    # The subclasses mark these with QT_TRANSLATE_NOOP("TaskPanel", ...); they are
    # translated where shown (context "TaskPanel"): the class is defined before the
    # window installs its translations.
    task = ""  # translate, summarize, sentiment
    title = ""  # Translate
    noun = QT_TRANSLATE_NOOP("TaskPanel", "run")  # translation
    plural = QT_TRANSLATE_NOOP("TaskPanel", "runs")  # translations
    run_text = QT_TRANSLATE_NOOP("TaskPanel", "Run")
    working_text = QT_TRANSLATE_NOOP("TaskPanel", "Working…")

    run_finished = Signal(object)  # TaskEnded, or None when the run failed before it began
    run_opened = Signal(int)  # conversation id
    progress_seen = Signal(str)  # each progress label, as the run reports it
    file_loaded = Signal(str)  # file name, once its text is in the panel
    # "Find a larger model…": the window opens the model manager's Discover tab.
    larger_model_requested = Signal()

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"{self.task}Panel")
        self.services = services
        self.runner = runner
        self.conversation_id: int | None = None
        self.running = False
        self.last_ended: TaskEnded | None = None
        # Whether the shown result did its job (None: not judged, e.g. stopped).
        self.outcome: Outcome | None = None
        self.progress_labels: list[str] = []
        # The run's remote server has no tokenizer: its pieces were planned from estimates.
        # What the run said about itself before it began (core/tasks/events.TaskNote).
        self.note: str | None = None
        self._started_at = 0.0
        # While the run waits behind API requests: (the status before, the waiting text).
        self._api_wait: tuple[str, str] | None = None
        self._files = make_pool(self, f"{self.task} files")
        self._file_worker: Worker | None = None

        plural = translate("TaskPanel", self.plural)
        run_text = translate("TaskPanel", self.run_text)
        self.history = RunHistory(arg(translate("TaskPanel", "Past %1"), plural))
        self.history.selected.connect(self.open_run)
        self.history.delete_requested.connect(self.delete_run)

        self.heading = QLabel(translate("TaskPanel", self.title))
        self.heading.setObjectName("panelTitle")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.model_picker = ModelPicker()
        self.model_picker.setToolTip(arg(translate("TaskPanel", "The model used for %1"), plural))
        self.model_picker.model_chosen.connect(self._on_model_chosen)
        model_label = QLabel(translate("TaskPanel", "Model:"))
        model_label.setBuddy(self.model_picker)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(model_label)
        top.addWidget(self.model_picker)

        self.banner = ErrorBanner()
        self.options_row = QHBoxLayout()
        self.options_row.setSpacing(8)

        self.progress = QProgressBar()
        self.progress.setObjectName("taskProgress")
        self.progress.setTextVisible(False)
        self.progress.setMinimumWidth(80)  # 160 where there is room, less at the narrowest
        self.progress.setMaximumWidth(160)
        self.progress_label = ElidedLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.hide()  # until the run counts its first step
        self.status_label = QLabel()
        self.status_label.setObjectName("taskStatus")
        # The status has a row of its own, as wide as the panel: "Done in 12.3 s." stays on
        # one line, a longer outcome wraps at words; two lines are kept for it, used or not,
        # so the boxes above never shrink or grow while a run reports what it does.
        self.status_label.setWordWrap(True)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.status_label.setMinimumHeight(2 * self.status_label.fontMetrics().lineSpacing())
        self.cost_label = ElidedLabel(min_chars=10)
        self.cost_label.setObjectName("costLine")
        self.cost_label.setEnabled(False)  # quiet, like the line under a chat reply
        # Shown when a result failed in substance and the catalog has a larger model.
        self.larger_model_button = QPushButton()
        self.larger_model_button.setObjectName("largerModel")
        self.larger_model_button.clicked.connect(self._try_larger_model)
        self.larger_model_button.hide()
        self.clear_button = QPushButton(translate("TaskPanel", "Clear"))
        self.clear_button.setToolTip(translate("TaskPanel", "Empty the input and the output"))
        self.clear_button.clicked.connect(self.clear)
        self.run_button = QPushButton(run_text)
        self.run_button.setDefault(True)
        self.run_button.setToolTip(arg(translate("TaskPanel", "%1 (Ctrl+Enter)"), run_text))
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton(translate("TaskPanel", "Stop"))
        self.stop_button.setToolTip(
            translate("TaskPanel", "Stop the run; what is done so far is kept (Esc)")
        )
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        # Left of the buttons, one slot: the progress while a run goes, what the last run
        # cost after it. Starting or ending a run moves nothing.
        self.progress_box = QWidget()
        progress_row = QHBoxLayout(self.progress_box)
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.addWidget(self.progress)
        progress_row.addWidget(self.progress_label, 1)
        self.status_slot = QStackedWidget()
        self.status_slot.addWidget(self.cost_label)
        self.status_slot.addWidget(self.progress_box)
        # The offer of a larger model stands beside the outcome that calls for it.
        self.status_row = QHBoxLayout()
        self.status_row.addWidget(self.status_label, 1)
        self.status_row.addWidget(self.larger_model_button, 0, Qt.AlignmentFlag.AlignTop)
        self.footer = QHBoxLayout()
        self.footer.addWidget(self.status_slot, 1)
        self.extra_buttons = QHBoxLayout()
        self.footer.addLayout(self.extra_buttons)
        self.footer.addWidget(self.clear_button)
        self.footer.addWidget(self.stop_button)
        self.footer.addWidget(self.run_button)

        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(6)
        column.addLayout(top)
        column.addWidget(self.banner)
        column.addLayout(self.options_row)
        column.addWidget(self._build_body(), 1)
        column.addLayout(self.status_row)
        column.addLayout(self.footer)

        with_sidebar(self, self.history, main, sidebar_width=230)

        self.run_action = QAction(run_text, self)
        self.run_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.run_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.run_action.triggered.connect(lambda _checked=False: self.run())
        self.addAction(self.run_action)

    # --- for subclasses ----------------------------------------------------------------------

    def _build_body(self) -> QWidget:
        raise NotImplementedError

    def make_run(self) -> StartRun | None:
        """Read the inputs (GUI thread) and return what the engine thread will call."""
        raise NotImplementedError

    def begin_output(self) -> None:
        """Empty the output views for a new run."""

    def on_event(self, event: object) -> None:
        """A run's event, after the shared handling (progress, status)."""

    def show_run(self, run: TaskRun) -> None:
        raise NotImplementedError

    def clear_panel(self) -> None:
        raise NotImplementedError

    def ended_text(self, ended: TaskEnded) -> str:
        """The status line for a run that ended: for a result that failed in substance,
        what happened and what to try (never "Done")."""
        if ended.status == "complete":
            said = warning(self.outcome)
            if said:
                return said
            seconds = f"{time.monotonic() - self._started_at:.1f}"
            return arg(translate("TaskPanel", "Done in %1 s."), seconds)
        return translate("TaskPanel", ENDED_STATUS.get(ended.status, ended.status))

    def focus_input(self) -> None:
        self.setFocus()

    # --- models ------------------------------------------------------------------------------

    def set_models(self, models: Sequence[InstalledModel]) -> None:
        self.model_picker.set_models(models)
        self.model_picker.set_current(self.default_model())

    def default_model(self) -> str | None:
        """The task's own default model, else the chat's, else the first installed."""
        model = default_model_for(self.task, self.services.settings, self.services.registry)
        return model.name if model is not None else None

    def _on_model_chosen(self, name: str) -> None:
        try:
            save_default_model(self.services.settings, name, [self.task])
        except UserError as exc:
            self.show_error(str(exc))

    # --- running -----------------------------------------------------------------------------

    def run(self) -> bool:
        if self.running:
            return False
        self.banner.dismiss()
        try:
            start = self.make_run()
        except UserError as exc:
            self.show_error(str(exc))
            return False
        if start is None or not self.runner.start(self, start):
            return False
        self.running = True
        self.last_ended = None
        self.show_outcome(None)
        self.progress_labels = []
        self._started_at = time.monotonic()
        self.begin_output()
        self.show_cost(None)
        self.progress.setRange(0, 0)  # busy until the run says how many parts it has
        self.status_slot.setCurrentWidget(self.progress_box)
        self.progress_label.clear()
        self.progress_label.hide()
        self.set_status(translate("TaskPanel", "Waiting for the model…"))
        self._set_controls(running=True)
        return True

    def stop(self) -> None:
        if self.running:
            self.set_status(translate("TaskPanel", "Stopping…"))
            self.runner.stop(self)

    def _set_controls(self, *, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.run_action.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.clear_button.setEnabled(not running)
        self.history.list.setEnabled(not running)
        self.set_inputs_enabled(not running)

    def set_inputs_enabled(self, enabled: bool) -> None:
        """Inputs may not change while a run reads them (subclasses lock theirs)."""

    def handle_event(self, event: object) -> None:
        if isinstance(event, ModelLoading):
            self.set_status(arg(translate("TaskPanel", "Loading %1…"), event.model_name))
        elif isinstance(event, ModelReady):
            self.set_status(translate("TaskPanel", self.working_text))
        elif isinstance(event, TaskNote):
            self.note = event.text
        elif isinstance(event, TaskStarted):
            self.conversation_id = event.conversation_id
            self.progress.setRange(0, max(1, event.total))
            self.progress.setValue(0)
            self.set_status(self._with_estimate_note(translate("TaskPanel", self.working_text)))
            self.refresh_history()
        elif isinstance(event, TaskProgress):
            if event.label not in ENDED_STATUS:
                self.progress_labels.append(event.label)
                self.progress_label.setText(progress_text(event.label))
                self.progress_label.show()
                self.progress_seen.emit(event.label)
            self.progress.setRange(0, max(1, event.total))
            self.progress.setValue(min(event.done, event.total))
        elif isinstance(event, TaskEnded):
            self.last_ended = event
            self.conversation_id = event.conversation_id
            if event.error:
                self.show_error(event.error)
            self.show_outcome(Outcome.from_dict(event.summary.get("outcome")))
            if event.status in ("error", "interrupted"):
                tone: Tone | None = "error"
            else:
                tone = "warning" if self.outcome is not None and not self.outcome.ok else None
            self.set_status(self._with_estimate_note(self.ended_text(event)), tone=tone)
            self.note = None  # said; the next run says its own
            self.show_cost(event.conversation_id)
        self.on_event(event)

    def remote_engine(self) -> str | None:
        """The remote engine the picked model runs on; None for a model on this computer."""
        return self.model_picker.remote_engine(self.model_picker.current_name())

    def _with_estimate_note(self, text: str) -> str:
        """The status with the run's note (token counts estimated...), when it has one."""
        return f"{text} {self.note}" if self.note else text

    def show_cost(self, conversation_id: int | None) -> None:
        """What the run cost in energy and carbon, all its model calls together."""
        line, tooltip = (
            ("", "")
            if conversation_id is None
            else conversation_cost(self.services.store, conversation_id).run_cost()
        )
        self.cost_label.setText(line)
        self.cost_label.setToolTip(tooltip)

    def handle_failed(self, message: str) -> None:
        self.show_error(message)
        self.set_status(translate("TaskPanel", "The run failed."), error=True)

    def handle_finished(self) -> None:
        self.running = False
        self._set_controls(running=False)
        self.status_slot.setCurrentWidget(self.cost_label)
        self.progress.setRange(0, 1)
        self.progress_label.clear()
        self.progress_label.hide()
        if self.last_ended is None and self.status_label.text() == translate(
            "TaskPanel", "Stopping…"
        ):
            self.set_status(translate("TaskPanel", "Stopped before it began."))
        self.refresh_history()
        self.run_finished.emit(self.last_ended)

    # --- history -----------------------------------------------------------------------------

    def refresh_history(self) -> None:
        self.history.set_runs(self.services.tasks.runs(self.task), self.conversation_id)

    def open_run(self, conversation_id: int) -> None:
        if self.running:
            noun = translate("TaskPanel", self.noun)
            self.show_error(
                arg(translate("TaskPanel", "Stop the running %1 before opening another."), noun)
            )
            self.history.select(self.conversation_id)
            return
        try:
            run = self.services.tasks.open_run(conversation_id)
        except UserError as exc:
            self.show_error(str(exc))
            self.refresh_history()
            return
        self.banner.dismiss()
        self.conversation_id = conversation_id
        self.last_ended = None
        self.progress_label.clear()
        self.progress_label.hide()
        if run.conversation.model:
            self.model_picker.set_current(run.conversation.model)
        self.show_run(run)
        state = translate("TaskPanel", OPENED_STATUS.get(run.status or "", NO_RESULT))
        noun = translate("TaskPanel", self.noun)
        moment = when(run.conversation.created_at)
        if moment:
            # "A translation from Today 14:03, complete."
            text = arg(translate("TaskPanel", "A %1 from %2, %3."), noun, moment, state)
        else:
            text = arg(translate("TaskPanel", "A %1, %2."), noun, state)
        result = (run.conversation.options or {}).get("result") or {}
        self.show_outcome(Outcome.from_dict(result.get("outcome")))
        said = warning(self.outcome)
        # "A translation from Today 14:03, complete. Not translated: the result is..."
        self.set_status(f"{text} {said}" if said else text, tone="warning" if said else None)
        self.show_cost(conversation_id)
        self.history.select(conversation_id)
        self.run_opened.emit(conversation_id)

    def delete_run(self, conversation_id: int) -> None:
        noun = translate("TaskPanel", self.noun)
        if self.running and conversation_id == self.conversation_id:
            self.show_error(
                arg(translate("TaskPanel", "This %1 is still running. Stop it first."), noun)
            )
            return
        answer = QMessageBox.question(
            self,
            arg(translate("TaskPanel", "Delete %1"), noun),
            arg(
                translate("TaskPanel", "Delete this %1 and its result? This cannot be undone."),
                noun,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.store.delete_conversation(conversation_id)
        except UserError as exc:
            self.show_error(str(exc))
        if conversation_id == self.conversation_id:
            self.clear()
        self.refresh_history()

    def clear(self) -> None:
        if self.running:
            return
        self.conversation_id = None
        self.last_ended = None
        self.show_outcome(None)
        self.banner.dismiss()
        self.progress_label.clear()
        self.progress_label.hide()
        self.set_status("")
        self.show_cost(None)
        self.history.select(None)
        self.clear_panel()

    # --- files -------------------------------------------------------------------------------

    def choose_file(self, caption: str, name_filter: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, caption, "", name_filter)
        return Path(path) if path else None

    def read_in_background(
        self,
        path: Path,
        read: Callable[[], Any],
        on_result: Callable[[Any], None],
    ) -> None:
        """read() runs in the panel's file pool; on_result gets its result here. Only the
        latest request counts: a slower earlier read is dropped when it lands."""
        self.set_status(arg(translate("TaskPanel", "Opening %1…"), path.name))

        def failed(message: str) -> None:
            self.show_error(message)
            self.set_status("")

        self._file_worker = run_in_pool(
            self._files, read, on_result, failed, replaces=self._file_worker
        )

    # --- messages ----------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.banner.show_message(message)

    def show_api_wait(self, text: str | None) -> None:
        """'Waiting for N API requests…' while the run waits behind the local server's
        requests; None: its turn came, and the status it had comes back (unless the run has
        said something since)."""
        if text is not None:
            if self._api_wait is None:
                self._api_wait = (self.status_label.text(), text)
            else:
                self._api_wait = (self._api_wait[0], text)
            self.set_status(text)
        elif self._api_wait is not None:
            before, shown = self._api_wait
            self._api_wait = None
            if self.status_label.text() == shown:
                self.set_status(before)

    def set_status(self, text: str, *, error: bool = False, tone: Tone | None = None) -> None:
        self.status_label.setText(text)
        set_tone(self.status_label, "error" if error else tone)

    # --- outcomes ----------------------------------------------------------------------------

    def show_outcome(self, outcome: Outcome | None) -> None:
        """Keep the shown result's outcome; offer the suggested larger model when there is
        one: "Use <name>" when it is installed, else "Find a larger model…"."""
        self.outcome = outcome
        suggestion = (outcome.suggestion if outcome is not None else None) or {}
        installed = suggestion.get("installed")
        if installed:
            text = arg(translate("TaskPanel", "Use %1"), installed)
            # A long model name is cut in its middle: the button never widens the window.
            metrics = self.larger_model_button.fontMetrics()
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, LARGER_MODEL_WIDTH)
            self.larger_model_button.setText(shown)
            tip = translate("TaskPanel", "Choose this larger model, then run again")
            self.larger_model_button.setToolTip(tip if shown == text else f"{installed}\n{tip}")
        else:
            self.larger_model_button.setText(translate("TaskPanel", "Find a larger model…"))
            self.larger_model_button.setToolTip(
                arg(translate("TaskPanel", "%1, in the model catalog"), suggestion.get("name", ""))
            )
        self.larger_model_button.setVisible(bool(suggestion))

    def _try_larger_model(self) -> None:
        suggestion = (self.outcome.suggestion if self.outcome is not None else None) or {}
        installed = suggestion.get("installed")
        if installed and self.model_picker.set_current(installed):
            self._on_model_chosen(installed)
            self.larger_model_button.hide()
            self.set_status(
                arg(translate("TaskPanel", "%1 is chosen: run again to try it."), installed)
            )
        elif suggestion:
            self.larger_model_requested.emit()

    def shutdown(self) -> None:
        stop_pool(self._files, self._file_worker)
