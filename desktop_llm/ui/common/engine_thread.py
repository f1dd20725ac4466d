"""The one long-lived thread that drives the ChatService (Anki's serialized executor).

ChatService's streaming methods are blocking generators and the EngineClient behind them
is meant to be driven from one thread. So every call that loads a model or generates runs
here, one job after the other, and each event it yields is sent to the GUI thread as a
queued Qt signal. No widget is touched from this thread.

Stopping is the exception: ChatService.cancel() is thread-safe, so the GUI thread calls it
directly. The worker calls it again after each event of a job marked cancelled, which closes
the gap where a stop arrives before send() has cleared its stop flag.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_llm.core.errors import UserError

log = logging.getLogger(__name__)

# Every QThread the ui starts, so tests can prove none outlives its window.
_LIVE_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()


def running_threads() -> list[QThread]:
    """The ui's QThreads that are still running."""
    return [t for t in list(_LIVE_THREADS) if t.isRunning()]


_job_ids = itertools.count(1)

# While the engine thread runs Python (parsing a GGUF header, SQLAlchemy), the GUI thread
# needs the GIL for every Python slot and for the first call of each virtual method of a new
# widget; each hand-off waits up to the switch interval (5 ms by default), and a repaint that
# lays out new widgets needs dozens. A shorter interval keeps such a repaint to a few ms.
GUI_SWITCH_INTERVAL_S = 0.0005


def prefer_gui_thread() -> None:
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


@dataclass
class Job:
    """One unit of engine work: a callable returning the events to forward (may be empty)."""

    start: Callable[[], Iterable[object]]
    on_cancel: Callable[[], None]
    kind: str = "job"
    # Idle-time work (measuring the idle power baseline) that any other job interrupts.
    yields: bool = False
    id: int = field(default_factory=lambda: next(_job_ids))
    cancelled: threading.Event = field(default_factory=threading.Event)


class _Worker(QObject):
    """Lives in the engine thread; its slot runs jobs in the order they were submitted."""

    event = Signal(int, object)
    failed = Signal(int, str)
    finished = Signal(int)

    def __init__(self, closing: threading.Event) -> None:
        super().__init__()
        self._closing = closing

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            if self._closing.is_set():
                return  # the window is closing: queued work is dropped, not started
            for event in job.start():
                self.event.emit(job.id, event)
                if job.cancelled.is_set() or self._closing.is_set():
                    job.on_cancel()
        except UserError as exc:
            self.failed.emit(job.id, str(exc))
        except Exception as exc:
            log.exception("engine job %s failed", job.kind)
            self.failed.emit(
                job.id,
                f"Something went wrong ({type(exc).__name__}: {exc}). Details are in the log file.",
            )
        finally:
            self.finished.emit(job.id)


class EngineThread(QObject):
    """Owns the engine QThread; submit() jobs from the GUI thread, get signals back."""

    event = Signal(int, object)  # job id, ChatEvent
    failed = Signal(int, str)  # job id, plain-words message
    job_finished = Signal(int)  # job id; emitted after every job, failed or not
    busy_changed = Signal(bool)

    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._closing = threading.Event()
        self._pending: dict[int, Job] = {}
        self._thread = QThread()
        self._thread.setObjectName("desktop-llm engine")
        self._worker = _Worker(self._closing)
        self._worker.moveToThread(self._thread)
        # The worker lives in the engine thread, so these connections are queued both ways.
        self._submit.connect(self._worker.run)
        self._worker.event.connect(self._on_event)
        self._worker.failed.connect(self._on_failed)
        self._worker.finished.connect(self._on_finished)
        self._thread.finished.connect(self._worker.deleteLater)
        _LIVE_THREADS.add(self._thread)
        prefer_gui_thread()
        self._thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def pending(self, kind: str | None = None) -> list[Job]:
        return [j for j in self._pending.values() if kind is None or j.kind == kind]

    def submit(self, job: Job) -> Job:
        if self._closing.is_set():
            raise RuntimeError("the engine thread is shut down")
        for idle in [j for j in self._pending.values() if j.yields and not job.yields]:
            idle.cancelled.set()
            idle.on_cancel()
        was_busy = self.busy
        self._pending[job.id] = job
        self._submit.emit(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def cancel_all(self) -> None:
        """Stop the running job and every queued one (the stop button, closing)."""
        for job in list(self._pending.values()):
            job.cancelled.set()
        for job in list(self._pending.values())[:1]:
            job.on_cancel()

    def shutdown(self, timeout_s: float = 15.0) -> bool:
        """Cancel everything, let the thread finish; True when it did within timeout_s.

        The cancel is repeated while waiting: a stop can be lost when it lands between a
        job starting and the service clearing its stop flag.
        """
        if not self._thread.isRunning():
            return True
        self._closing.set()
        self.cancel_all()
        self._thread.quit()
        deadline = time.monotonic() + timeout_s
        while not self._thread.wait(100):
            if time.monotonic() > deadline:
                log.error("the engine thread did not stop within %.0f s", timeout_s)
                return False
            for job in list(self._pending.values())[:1]:
                job.on_cancel()
        self._pending.clear()
        return True

    @Slot(int, object)
    def _on_event(self, job_id: int, event: object) -> None:
        self.event.emit(job_id, event)

    @Slot(int, str)
    def _on_failed(self, job_id: int, message: str) -> None:
        self.failed.emit(job_id, message)

    @Slot(int)
    def _on_finished(self, job_id: int) -> None:
        self._pending.pop(job_id, None)
        self.job_finished.emit(job_id)
        if not self._pending:
            self.busy_changed.emit(False)
