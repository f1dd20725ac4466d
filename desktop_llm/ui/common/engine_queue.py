"""The one queue in front of the inference process (Anki's serialized executor).

The chat service, the task service and the model host drive one EngineClient, which is
meant to be used by one thread at a time. So every call that loads a model or generates is
a Worker (ui/common/worker.py) on this queue's one-thread pool, one job after the other;
its events come back on the GUI thread through the worker's signals, straight to whoever
submitted it.

This object also owns the rule "one engine job at a time" for the user's work: a reply or
a task run is a foreground job, and while one is queued or running, refusal() says in words
why another may not start. Loading a model ahead of time and measuring the idle baseline
are background jobs; the baseline yields to anything else that arrives.

A chat message sent while another job has the engine is not refused: its reply is
submitted behind that job and waits its turn (ahead_of() says for what, for the waiting
line in its chat). withdraw() takes a waiting job back out before it starts, without
touching the one that runs (a stop would reach the shared service's cancel()).

Stopping is the exception to "one thread": the services' cancel() is thread-safe, so the
GUI thread calls it directly (Worker.quit), and the worker repeats it after each event.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from desktop_llm.core.i18n import translate
from desktop_llm.ui.common.worker import Worker, make_pool

log = logging.getLogger(__name__)

# While the engine thread runs Python (parsing a GGUF header, SQLAlchemy), the GUI thread
# needs the GIL for every Python slot and for the first call of each virtual method of a new
# widget; each hand-off waits up to the switch interval (5 ms by default), and a repaint that
# lays out new widgets needs dozens. A shorter interval keeps such a repaint to a few ms.
GUI_SWITCH_INTERVAL_S = 0.0005


def prefer_gui_thread() -> None:
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


@dataclass(eq=False)
class EngineJob:
    worker: Worker
    kind: str  # reply, task, load, baseline
    # For a foreground job: what another request is told while this one runs.
    busy_text: str | None = None
    # Idle-time work (the idle power baseline) that any other job interrupts.
    yields: bool = False
    # For a foreground job: what a message waiting behind it is told ("Waits for ...").
    waits_text: str | None = None
    # Set on the engine thread as the job begins, or on the GUI thread when it is
    # withdrawn first; the lock makes the two exclusive.
    began: bool = False
    withdrawn: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def foreground(self) -> bool:
        return self.kind in ("reply", "task")

    def cancel(self) -> None:
        self.worker.quit()


class EngineQueue(QObject):
    """Owns the engine's one-thread pool; submit() from the GUI thread."""

    event = Signal(object)  # every event of every job, for the shared status line
    failed = Signal(str)  # every job's failure, before its owner hears of it
    changed = Signal()  # a job ended or was withdrawn: what waits may wait for something else

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._closing = threading.Event()
        self._pending: list[EngineJob] = []
        self._pool = make_pool(self, "desktop-llm engine", threads=1)
        self._pool.setExpiryTimeout(-1)  # the same thread for the app's lifetime
        prefer_gui_thread()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def pending(self, kind: str | None = None) -> list[EngineJob]:
        return [j for j in self._pending if kind is None or j.kind == kind]

    def ahead_of(self, job: EngineJob) -> EngineJob | None:
        """The nearest foreground job queued or running before job, or None."""
        if job not in self._pending:
            return None
        before = self._pending[: self._pending.index(job)]
        return next((j for j in reversed(before) if j.foreground), None)

    def withdraw(self, job: EngineJob) -> bool:
        """Take a job that has not begun out of the queue (it will never run); False when
        it has already begun (stop it with job.cancel() instead)."""
        with job.lock:
            if job.began:
                return False
            job.withdrawn = True
        self._finished(job)
        return True

    def refusal(self) -> str | None:
        """Why a reply or a task run may not start now, or None."""
        if self._closing.is_set():
            return translate("EngineQueue", "The window is closing.")
        return next((j.busy_text for j in self._pending if j.busy_text), None)

    def submit(
        self,
        run: Callable[[], Iterator[object]],
        *,
        kind: str,
        on_cancel: Callable[[], None],
        busy_text: str | None = None,
        waits_text: str | None = None,
        yields: bool = False,
    ) -> EngineJob:
        """Queue run() (a generator function); connect to job.worker's signals at once.

        Its signals are delivered on later turns of the event loop, so connecting right
        after submit() misses nothing.
        """
        if self._closing.is_set():
            raise RuntimeError("the engine queue is shut down")
        closing = self._closing
        job: EngineJob | None = None

        def guarded() -> Iterator[object]:
            if closing.is_set():
                return  # the window is closing: queued work is dropped, not started
            assert job is not None
            with job.lock:
                if job.withdrawn:
                    return  # taken back while it waited
                job.began = True
            yield from run()

        worker = Worker(guarded, on_quit=on_cancel)
        job = EngineJob(worker, kind, busy_text, yields, waits_text)
        worker.yielded.connect(self.event)
        worker.failed.connect(self.failed)
        worker.finished.connect(lambda: self._finished(job))
        if not yields:
            for idle in [j for j in self._pending if j.yields]:
                idle.cancel()
        self._pending.append(job)
        worker.start(self._pool)
        return job

    def _finished(self, job: EngineJob) -> None:
        if job in self._pending:
            self._pending.remove(job)
            self.changed.emit()

    def cancel_all(self) -> None:
        """Stop the running job and every queued one (closing the window)."""
        for job in list(self._pending):
            job.worker.quit_requested.set()
        for job in self._pending[:1]:
            job.cancel()

    def shutdown(self, timeout_s: float = 15.0) -> bool:
        """Cancel everything and wait for the engine thread; True when it ended in time.

        The cancel is repeated while waiting: a stop can be lost when it lands between a
        job starting and the service clearing its stop flag.
        """
        self._closing.set()
        self.cancel_all()
        deadline = time.monotonic() + timeout_s
        while not self._pool.waitForDone(100):
            if time.monotonic() > deadline:
                log.error("the engine thread did not stop within %.0f s", timeout_s)
                return False
            for job in self._pending[:1]:
                job.cancel()
        self._pending.clear()
        return True
