"""The model manager's "Make smaller…": a smaller quantization of an installed model, made
here by llama.cpp's quantizer (core/models/quantize.py).

The dialog lists the types with the size each would give this model (llama.cpp's dry run,
in a child process, read in the dialog's pool); a type that would not make the file smaller
is shown but cannot be chosen, with the reason. Making it runs in the pool too, its progress
(tensors done) on a bar, with Cancel; the quantizer is a child process, so a cancel kills it
and leaves no file. When the new file has passed its check, `made` says so and the dialog
closes; the Installed tab lists and selects it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import (
    Cancelled,
    InstalledModel,
    explain_quantization,
    format_bytes,
    read_gguf,
)
from desktop_llm.core.models.quantize import (
    TARGETS,
    UNQUANTIZED,
    Estimate,
    Quantized,
    QuantizeProgress,
    estimate_sizes,
    not_smaller_reason,
    requantize_note,
)
from desktop_llm.core.services import Services
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import Worker, create_worker, make_pool, run_in_pool, stop_pool

TYPE_ROLE = Qt.ItemDataRole.UserRole


class QuantizeDialog(QDialog):
    """Choose a smaller type for one model and make it; `made` carries the new model."""

    made = Signal(object, object)  # InstalledModel, Quantized

    def __init__(
        self, services: Services, model: InstalledModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quantizeDialog")
        self.setWindowTitle(arg(translate("QuantizeDialog", "Make %1 smaller"), model.name))
        self.services = services
        self.model = model
        self.source_quantization: str | None = model.quantization
        self.estimates: dict[str, Estimate] = {}
        self.running = False
        self._stop = threading.Event()
        self._pool = make_pool(self, "quantize", threads=2)
        self._workers: dict[str, Worker] = {}

        self.intro = QLabel(
            arg(
                translate(
                    "QuantizeDialog",
                    "A smaller quantization of %1 needs less memory and usually less energy "
                    "per reply, and answers somewhat worse. It is written as a new model; the "
                    "original stays as it is.",
                ),
                model.name,
            )
        )
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.types = QListWidget()
        self.types.setObjectName("quantizeTypes")
        self.types.setAccessibleName(translate("QuantizeDialog", "Quantization types"))
        for target in TARGETS:
            item = QListWidgetItem(target)
            item.setData(TYPE_ROLE, target)
            self.types.addItem(item)
        self.types.currentItemChanged.connect(lambda *_: self._chosen_changed())
        self.sizes_label = QLabel(translate("QuantizeDialog", "Working out the size of each type…"))
        set_tone(self.sizes_label, "muted")
        self.sizes_label.setWordWrap(True)
        self.explain_label = QLabel()
        self.explain_label.setWordWrap(True)
        self.explain_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label = QLabel()
        self.note_label.setObjectName("quantizeNote")
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)  # model names
        set_tone(self.note_label, "warning")
        self.note_label.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("quantizeProgress")
        self.progress.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.buttons = QDialogButtonBox()
        self.start_button = QPushButton(translate("QuantizeDialog", "Make smaller"))
        self.start_button.setObjectName("quantizeStart")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(translate("QuantizeDialog", "Cancel"))
        self.cancel_button.setObjectName("quantizeCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.types, 1)
        layout.addWidget(self.sizes_label)
        layout.addWidget(self.explain_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.resize(480, 520)

        self._show_types()
        path, models_dir, stop = model.path, services.paths.models_dir, self._stop

        def measure() -> tuple[str | None, dict[str, Estimate]]:
            quant = read_gguf(path).quantization
            return quant, estimate_sizes(path, models_dir=models_dir, should_stop=stop.is_set)

        self._workers["sizes"] = run_in_pool(
            self._pool, _quiet(measure), self._show_sizes, self._sizes_failed
        )

    # --- the types -----------------------------------------------------------------------

    def _show_types(self) -> None:
        """Each type with its expected size; the ones that would not shrink the file greyed
        out, with the reason as their tooltip."""
        locale = QLocale()
        for index in range(self.types.count()):
            item = self.types.item(index)
            target = item.data(TYPE_ROLE)
            estimate = self.estimates.get(target)
            reason = not_smaller_reason(self.source_quantization, target)
            if estimate is not None and reason is None and not estimate.smaller:
                reason = arg(
                    translate(
                        "QuantizeDialog",
                        "Not smaller for this model: %1 against %2 now (rows not a "
                        "multiple of 256 wide fall back to larger types).",
                    ),
                    format_bytes(estimate.size_bytes),
                    format_bytes(estimate.source_bytes),
                )
            if estimate is None:
                text = target
            elif reason is None:
                saved = locale.toString(
                    round(100 * (1 - estimate.size_bytes / estimate.source_bytes))
                )
                text = arg(
                    translate("QuantizeDialog", "%1 · about %2 (%3% smaller)"),
                    target,
                    format_bytes(estimate.size_bytes),
                    saved,
                )
            else:
                text = arg(
                    translate("QuantizeDialog", "%1 · about %2 (not smaller)"),
                    target,
                    format_bytes(estimate.size_bytes),
                )
            item.setText(text)
            usable = reason is None and (estimate is None or estimate.smaller)
            flags = item.flags()
            if usable and estimate is not None:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            else:
                item.setFlags(flags & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
            item.setToolTip(reason or explain_quantization(target))

    def usable_types(self) -> list[str]:
        return [
            self.types.item(i).data(TYPE_ROLE)
            for i in range(self.types.count())
            if self.types.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
        ]

    def choose(self, target: str) -> bool:
        for index in range(self.types.count()):
            item = self.types.item(index)
            if item.data(TYPE_ROLE) == target and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.types.setCurrentItem(item)
                return True
        return False

    def chosen(self) -> str | None:
        item = self.types.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return item.data(TYPE_ROLE)

    def _show_sizes(self, result: object) -> None:
        if result is None:
            return
        assert isinstance(result, tuple)
        self.source_quantization, self.estimates = result
        self.sizes_label.setText(
            arg(
                translate("QuantizeDialog", "%1 is %2, %3 on disk. Sizes measured by llama.cpp."),
                self.model.name,
                self.source_quantization or "?",
                format_bytes(self.model.size_bytes),
            )
        )
        self._show_types()
        usable = self.usable_types()
        if not usable:
            self.status_label.setText(
                translate("QuantizeDialog", "No type would make this model smaller.")
            )
        elif self.chosen() is None:
            self.choose("Q4_0" if "Q4_0" in usable else usable[0])
        self._chosen_changed()

    def _sizes_failed(self, message: str) -> None:
        self.sizes_label.setText(message)
        set_tone(self.sizes_label, "error")

    def _chosen_changed(self) -> None:
        target = self.chosen()
        self.start_button.setEnabled(target is not None and not self.running)
        if target is None:
            self.explain_label.setText("")
            self.note_label.hide()
            return
        self.explain_label.setText(explain_quantization(target))
        quant = (self.source_quantization or "").upper()
        if quant and quant not in UNQUANTIZED:
            self.note_label.setText(requantize_note(self.model.name, quant, target))
            self.note_label.show()
        else:
            self.note_label.hide()

    # --- making it -----------------------------------------------------------------------

    def start(self) -> None:
        target = self.chosen()
        if target is None or self.running:
            return
        self.running = True
        self._stop = threading.Event()
        stop = self._stop
        registry, model = self.services.registry, self.model
        self.types.setEnabled(False)
        self.start_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        set_tone(self.status_label, None)
        self.status_label.setText(translate("QuantizeDialog", "Starting llama.cpp's quantizer…"))

        def work() -> tuple[InstalledModel, Quantized] | None:
            try:
                return registry.quantize(
                    model, target, progress=worker.report, should_stop=stop.is_set
                )
            except Cancelled:
                return None

        worker = create_worker(work)
        worker.yielded.connect(self._on_progress)
        worker.returned.connect(self._finished)
        worker.failed.connect(self._failed)
        self._workers["quantize"] = worker.start(self._pool)

    def _on_progress(self, p: object) -> None:
        assert isinstance(p, QuantizeProgress)
        if p.stage == "quantizing" and p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
            self.status_label.setText(
                arg(
                    translate("QuantizeDialog", "Quantizing: tensor %1 of %2"),
                    QLocale().toString(p.done),
                    QLocale().toString(p.total),
                )
            )
        elif p.stage == "validating":
            self.status_label.setText(translate("QuantizeDialog", "Checking the new file…"))
        elif p.stage == "checking":
            self.status_label.setText(translate("QuantizeDialog", "Working out the size…"))

    def _finished(self, result: object) -> None:
        self.running = False
        if result is None:
            self._idle()
            self.status_label.setText(
                translate("QuantizeDialog", "Cancelled; nothing was written.")
            )
            return
        assert isinstance(result, tuple)
        new, done = result
        self.made.emit(new, done)
        self.accept()

    def _failed(self, message: str) -> None:
        self.running = False
        self._idle()
        self.status_label.setText(message)
        set_tone(self.status_label, "error")

    def _idle(self) -> None:
        self.progress.hide()
        self.types.setEnabled(True)
        self._chosen_changed()

    def cancel(self) -> None:
        """Stop the quantization in progress (nothing is kept), or close the dialog."""
        if self.running:
            self._stop.set()
            self.status_label.setText(translate("QuantizeDialog", "Cancelling…"))
            return
        self.reject()

    def done(self, result: int) -> None:
        self._stop.set()  # closing ends the dry runs or the quantizer; their child is killed
        stop_pool(self._pool, *self._workers.values())
        super().done(result)


def _quiet(work: Callable[[], object]) -> Callable[[], object]:
    """A measurement stopped by closing the dialog gives None instead of an error."""

    def run() -> object:
        try:
            return work()
        except Cancelled:
            return None

    return run
