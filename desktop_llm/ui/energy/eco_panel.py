"""Eco mode in the energy dashboard ("How is this measured?"): what eco mode does now for the
chat's default model (ModelHost.eco_choice(...).words()), the model's latest calibration as a
table, and "Calibrate eco mode…", which runs core/eco_calibration.calibrate() as a job on the
window's EngineQueue (never beside a reply or a task run), with progress and Stop.

Reading the state reads the calibration file and may measure the machine's load for a moment
(eco_choice): always in a worker. The state is read again after a calibration and when the
energy.eco setting changes. A stopped calibration stores nothing: the state stays as it was.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.eco import SETTING, Calibration
from desktop_llm.core.eco_calibration import ROUNDS, TOKENS, CalibrationProgress, calibrate
from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.services import Services
from desktop_llm.ui.common.engine_queue import EngineJob, EngineQueue
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool


@dataclass(frozen=True)
class EcoState:
    model: str | None  # the chat's default model; None when none is installed
    words: str  # eco_choice(model).words()
    calibration: Calibration | None  # the newest calibration of that model here


def read_state(services: Services) -> EcoState:
    """What eco mode does now for the chat's default model (off the GUI thread)."""
    host = services.host
    try:
        model = host.resolve(None)
    except Exception:  # no model installed: nothing to calibrate
        return EcoState(None, translate("Eco", "No model is installed to calibrate."), None)
    choice = host.eco_choice(model)
    calibration = choice.calibration
    if calibration is None:
        gpu_layers = host.load_spec(model, eco=False).n_gpu_layers
        found = host.calibrations.find(host.sha256(model), gpu_layers)
        calibration = found[0] if found else None
    return EcoState(model.name, choice.words(), calibration)


def calibration_html(calibration: Calibration) -> str:
    """The calibration as a small table: threads, J per token, tokens/s, the chosen one."""
    best = calibration.best
    head = "".join(
        f"<th align='left'>{html.escape(t)}&nbsp;&nbsp;</th>"
        for t in (
            translate("Eco", "Threads"),
            translate("Eco", "J per token"),
            translate("Eco", "Tokens/s"),
            "",
        )
    )
    rows = []
    for entry in calibration.entries:
        chosen = best is not None and entry.threads == best.threads
        mark = translate("Eco", "fewest joules per token: eco mode uses it") if chosen else ""
        cells = (
            str(entry.threads),
            f"{entry.joules_per_token:.3g}",
            f"{entry.tokens_per_second:.1f}",
            mark,
        )
        row = "".join(f"<td>{html.escape(c)}&nbsp;&nbsp;</td>" for c in cells)
        rows.append(f"<tr>{'<b>' if chosen else ''}{row}{'</b>' if chosen else ''}</tr>")
    how = (
        arg(translate("Eco", "measured (%1)"), calibration.meter_source)
        if calibration.measured
        else translate("Eco", "estimated from CPU time, not measured")
    )
    caption = arg(
        translate("Eco", "Calibration of %1 (%2): %3 tokens per reply, rounds: %4, %5."),
        calibration.model,
        calibration.measured_at.replace("T", " ")[:16],
        calibration.tokens,
        calibration.rounds,
        how,
    )
    return f"<p>{html.escape(caption)}</p><table>{'<tr>' + head + '</tr>'}{''.join(rows)}</table>"


class EcoPanel(QWidget):
    """Eco mode's state, the calibration table, and the calibration run."""

    state_loaded = Signal(object)  # EcoState
    calibration_finished = Signal(bool)  # True: a new calibration is stored
    _setting_changed = Signal()

    def __init__(
        self, services: Services, engine: EngineQueue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ecoPanel")
        self.services = services
        self.engine = engine
        self.state: EcoState | None = None
        self.job: EngineJob | None = None
        self.stopped = False
        self.failure: str | None = None
        # The calibration's size (tests make it small).
        self.tokens, self.rounds = TOKENS, ROUNDS
        self.threads: list[int] | None = None
        self._stop = threading.Event()
        self._pool = make_pool(self, "eco mode")
        self._reading: Worker | None = None

        title = QLabel(translate("Eco", "Eco mode"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.words = QLabel(translate("Eco", "Reading…"))
        self.words.setObjectName("ecoWords")
        self.words.setWordWrap(True)
        self.calibrate_button = QPushButton(translate("Eco", "Calibrate eco mode…"))
        self.calibrate_button.setAutoDefault(False)
        self.calibrate_button.setToolTip(
            translate(
                "Eco",
                "Measure the chat's default model at a few thread counts, each reply metered, "
                "and keep the one with the fewest joules per token (a minute or two)",
            )
        )
        self.calibrate_button.clicked.connect(self.run_calibration)
        top = QHBoxLayout()
        top.addWidget(self.words, 1)
        top.addWidget(self.calibrate_button, 0, Qt.AlignmentFlag.AlignTop)

        self.table = QLabel("")
        self.table.setObjectName("ecoCalibration")
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setWordWrap(True)
        self.table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.progress = QProgressBar()
        self.progress.setObjectName("ecoProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(200)
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("ecoProgressLabel")
        self.stop_button = QPushButton(translate("Eco", "Stop"))
        self.stop_button.setAutoDefault(False)
        self.stop_button.setToolTip(
            translate("Eco", "Stop the calibration; nothing is stored, the last one is kept")
        )
        self.stop_button.clicked.connect(self.stop)
        self.run_row = QWidget()
        row = QHBoxLayout(self.run_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress)
        row.addWidget(self.progress_label, 1)
        row.addWidget(self.stop_button)
        self.run_row.hide()
        self.status = QLabel("")
        self.status.setObjectName("ecoStatus")
        self.status.setWordWrap(True)
        self.status.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.run_row)
        layout.addWidget(self.status)

        self._setting_changed.connect(self.refresh)  # a change from any thread lands here
        self._unsubscribe = services.settings.subscribe(
            lambda changed: self._setting_changed.emit() if SETTING in changed else None
        )

    # --- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        services = self.services
        self._reading = run_in_pool(
            self._pool,
            lambda: read_state(services),
            self._on_state,
            self._on_failed,
            replaces=self._reading,
        )

    def _on_state(self, state: object) -> None:
        assert isinstance(state, EcoState)
        self.state = state
        self.words.setText(state.words)
        self.table.setText(calibration_html(state.calibration) if state.calibration else "")
        self.table.setVisible(state.calibration is not None)
        self.calibrate_button.setEnabled(state.model is not None and self.job is None)
        self.state_loaded.emit(state)

    def _on_failed(self, message: str) -> None:
        self._say(message, "error")

    # --- calibrating ----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.job is not None

    def run_calibration(self) -> EngineJob | None:
        """Calibrates the chat's default model on the engine queue; None when the engine is
        busy with other work (said in the status line)."""
        if self.running:
            return None
        refusal = self.engine.refusal()
        if refusal is not None:
            self._say(refusal, "error")
            return None
        host, stop = self.services.host, threading.Event()
        tokens, rounds, threads = self.tokens, self.rounds, self.threads
        job_box: list[EngineJob] = []
        submitted = threading.Event()  # the job may start before submit() returns

        def run():  # type: ignore[no-untyped-def]
            submitted.wait()
            report = job_box[0].worker.report
            yield calibrate(
                host, None, threads=threads, tokens=tokens, rounds=rounds, stop=stop,
                progress=report,
            )  # fmt: skip

        job = self.engine.submit(
            run,
            kind="task",
            on_cancel=stop.set,
            busy_text=translate(
                "Eco",
                "Eco mode is being calibrated. Wait for it, or stop it in the energy dashboard "
                "(How is this measured?).",
            ),
            waits_text=translate("Eco", "Waits for the calibration to finish"),
        )
        job_box.append(job)
        submitted.set()
        self.job, self._stop, self.stopped, self.failure = job, stop, False, None
        job.worker.yielded.connect(self._on_event)
        job.worker.failed.connect(self._on_run_failed)
        job.worker.finished.connect(self._on_run_finished)
        self.progress.setRange(0, 0)
        self.progress_label.setText(translate("Eco", "Starting the calibration…"))
        self.stop_button.setEnabled(True)
        self.calibrate_button.setEnabled(False)
        self.run_row.show()
        self.status.hide()
        return job

    def stop(self) -> None:
        if self.job is not None:
            self.stopped = True
            self.stop_button.setEnabled(False)
            self.progress_label.setText(translate("Eco", "Stopping…"))
            self._stop.set()
            self.job.cancel()

    def _on_event(self, event: object) -> None:
        if isinstance(event, CalibrationProgress) and not self.stopped:
            self.progress.setRange(0, max(1, event.total))
            self.progress.setValue(event.done)
            if event.done < event.total:
                per_round = max(1, event.total // max(1, self.rounds))
                n = event.threads
                text = translate("Eco", "Measuring %n thread(s), round %1 of %2", None, PLURAL, n)  # fmt: skip  # noqa: E501
                rounds = max(1, event.total // per_round)
                self.progress_label.setText(arg(text, event.done // per_round + 1, rounds))

    def _on_run_failed(self, message: str) -> None:
        self.failure = message

    def _on_run_finished(self) -> None:
        self.job = None
        self.run_row.hide()
        stored = not self.stopped and self.failure is None
        if self.stopped:
            self._say(
                translate("Eco", "Stopped. Nothing was stored; the last calibration is kept."),
                "muted",
            )
        elif self.failure is not None:
            self._say(self.failure, "error")
        self.calibrate_button.setEnabled(True)
        self.refresh()
        self.calibration_finished.emit(stored)

    def _say(self, text: str, tone: str) -> None:
        set_tone(self.status, tone)  # type: ignore[arg-type]
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # --- closing --------------------------------------------------------------------------

    def shutdown(self) -> None:
        self._unsubscribe()
        if self.job is not None:
            self._stop.set()
            self.job.cancel()
        stop_pool(self._pool, self._reading)
