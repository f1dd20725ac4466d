"""How a task panel's run reaches the engine, and how its events come back to the panel.

A run is a job on the window's EngineQueue (kind 'task'): the TaskService generator is
created and iterated on the engine thread, and its events arrive on the GUI thread through
the job's worker, straight to the panel that asked. Stop calls TaskService.cancel() from
the GUI thread (it is thread-safe). Whether a run may start at all is the EngineQueue's
call: one reply or run at a time, so they never fight over the one inference process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.tasks.events import TaskEnded, TaskStarted
from desktop_llm.core.tasks.service import TaskService
from desktop_llm.ui.common.engine_queue import EngineJob, EngineQueue
from desktop_llm.ui.common.status_bar import ended_state

StartRun = Callable[[], Iterator[object]]


class RunOwner(Protocol):
    """What the runner needs of a panel (the panel imports the runner, not the reverse)."""

    task: str
    title: str  # these two in English, marked for translation (context "TaskPanel")
    noun: str

    def show_error(self, message: str) -> None: ...
    def remote_engine(self) -> str | None: ...
    def handle_event(self, event: object) -> None: ...
    def handle_failed(self, message: str) -> None: ...
    def handle_finished(self) -> None: ...
    def show_api_wait(self, text: str | None) -> None: ...


class TaskRunner(QObject):
    started = Signal(str)  # the task whose run was queued
    finished = Signal(str)  # the task whose run ended, failed or not
    state_changed = Signal(str)  # for the window's status line

    def __init__(
        self, engine: EngineQueue, tasks: TaskService, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.tasks = tasks
        self._running: dict[EngineJob, RunOwner] = {}

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def start(self, panel: RunOwner, start: StartRun) -> bool:
        """Queue a run; False (and the reason on the panel) when it may not start now."""
        reason = self.engine.refusal()
        if reason is not None:
            panel.show_error(reason)
            return False
        job: EngineJob | None = None

        def run() -> Iterator[object]:
            # On the engine thread. A run stopped while it waited never starts.
            if job is not None and job.worker.quit_requested.is_set():
                return
            yield from start()

        job = self.engine.submit(
            run,
            kind="task",
            on_cancel=self.tasks.cancel,
            busy_text=arg(
                translate(
                    "TaskRunner",
                    "A %1 is running (%2). Wait for it, or stop it there (Esc), then start again.",
                ),
                translate("TaskPanel", panel.noun),
                translate("TaskPanel", panel.title),
            ),
            # What a chat message sent meanwhile shows while it waits for this run.
            waits_text=arg(
                translate("TaskRunner", "Waits for the %1 to finish"),
                translate("TaskPanel", panel.noun),
            ),
        )
        self._running[job] = panel
        job.worker.yielded.connect(lambda event: self._on_event(panel, event))
        job.worker.failed.connect(lambda message: self._on_failed(panel, message))
        job.worker.finished.connect(lambda: self._on_finished(job))
        self.started.emit(panel.task)
        self.state_changed.emit(translate("TaskRunner", "Waiting for the model…"))
        return True

    def show_api_wait(self, text: str | None) -> None:
        """The run the engine thread has begun waits behind API requests (text: what its
        status says), or no longer does (None)."""
        for job, panel in self._running.items():
            panel.show_api_wait(text if job.began else None)

    def stop(self, panel: RunOwner) -> None:
        for job, owner in list(self._running.items()):
            if owner is panel:
                job.cancel()

    def _on_event(self, panel: RunOwner, event: object) -> None:
        if isinstance(event, TaskStarted):
            noun = translate("TaskPanel", panel.noun)
            engine = panel.remote_engine()
            if engine is None:
                self.state_changed.emit(arg(translate("TaskRunner", "Working on a %1…"), noun))
            else:
                self.state_changed.emit(
                    arg(translate("TaskRunner", "Working on a %1 on %2…"), noun, engine)
                )
        elif isinstance(event, TaskEnded):
            self.state_changed.emit(ended_state(event.status, "run"))
        panel.handle_event(event)

    def _on_failed(self, panel: RunOwner, message: str) -> None:
        self.state_changed.emit(translate("TaskRunner", "Ready"))
        panel.handle_failed(message)  # the panel's banner shows it

    def _on_finished(self, job: EngineJob) -> None:
        panel = self._running.pop(job, None)
        if panel is not None:
            panel.handle_finished()
            self.finished.emit(panel.task)
