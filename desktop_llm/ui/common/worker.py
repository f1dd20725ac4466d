"""The window's one way of doing work off the GUI thread (napari's thread_worker, smaller).

A Worker runs a function in a QThreadPool. A generator function reports as it goes: each
value it yields arrives as `yielded`; what it returns arrives as `returned`; an exception
arrives as `failed` in plain words (a UserError's own text, anything else a short sentence
with the details in the log), and as `errored` for a caller that acts on its kind;
`finished` always comes last. Every signal is delivered on
the GUI thread, so slots may touch widgets; the function itself must not.

    worker = create_worker(read_text_file, path)
    worker.returned.connect(self._show_text)
    worker.failed.connect(self.show_error)
    worker.start(self._pool)

Stopping is cooperative: quit() sets `quit_requested` and calls the on_quit callback, which
tells the function to stop (the engine's cancel); the function then ends in its own way (a
stopped reply is still stored and reported), so its remaining values are still delivered.

discard() is for a result nobody wants any more (a newer request replaced it): nothing more
of that worker is delivered, not even what its thread already sent.
"""

from __future__ import annotations

import inspect
import logging
import threading
import weakref
from collections.abc import Callable, Generator
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate

log = logging.getLogger(__name__)

# Every pool the ui makes, so tests can prove no work outlives its window.
_POOLS: weakref.WeakSet[QThreadPool] = weakref.WeakSet()
# Workers started and not yet finished: Qt holds no Python reference to them. Only the GUI
# thread adds (start) and removes (the delivered `finished`), so no lock is needed.
_RUNNING: set[Worker] = set()


def make_pool(parent: QObject, name: str, threads: int = 1) -> QThreadPool:
    """A private pool: `threads` at a time, in the order they were started."""
    pool = QThreadPool(parent)
    pool.setObjectName(name)
    pool.setMaxThreadCount(threads)
    pool.setExpiryTimeout(2000)
    _POOLS.add(pool)
    return pool


def busy_pools() -> list[QThreadPool]:
    """The ui's pools with work still running or queued (for the tests' leftover check)."""
    # A pool deleted with its parent waited for its work in its destructor.
    return [p for p in list(_POOLS) if shiboken6.isValid(p) and p.activeThreadCount() > 0]


def plain_failure(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    return arg(
        translate("Worker", "Something went wrong (%1: %2). Details are in the log file."),
        type(exc).__name__,
        exc,
    )


class _Runnable(QRunnable):
    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._worker = worker

    def run(self) -> None:
        self._worker.work()


class Worker(QObject):
    """One function run off the GUI thread; its signals arrive on the GUI thread."""

    started = Signal()
    yielded = Signal(object)
    returned = Signal(object)
    failed = Signal(str)
    errored = Signal(object)  # the exception itself, just before failed
    finished = Signal()

    # Emitted from the pool thread; delivered (queued) to this object on the GUI thread,
    # where discard() can still drop them.
    _started = Signal()
    _yielded = Signal(object)
    _returned = Signal(object)
    _failed = Signal(object)
    _finished = Signal()

    def __init__(
        self,
        func: Callable[..., Any],
        *args: Any,
        on_quit: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self._call = lambda: func(*args, **kwargs)
        self._name = getattr(func, "__qualname__", repr(func))
        self.on_quit = on_quit
        self.quit_requested = threading.Event()
        self._began = threading.Event()
        self._discarded = False
        self._started.connect(self._deliver_started)
        self._yielded.connect(self._deliver_yielded)
        self._returned.connect(self._deliver_returned)
        self._failed.connect(self._deliver_failed)
        self._finished.connect(self._deliver_finished)

    # --- GUI thread ----------------------------------------------------------------------

    def start(self, pool: QThreadPool) -> Worker:
        """Run in pool. Pools belong to the widget that asked (make_pool(parent)): once it
        is gone, nothing more is delivered to its slots."""
        _RUNNING.add(self)
        pool.destroyed.connect(self.discard)
        pool.start(_Runnable(self))
        return self

    def quit(self) -> None:
        """Ask the function to stop (thread-safe). Before it began, on_quit is left for
        when it begins: called now, it would stop whatever else the callback reaches (the
        engine's cancel stops the job running ahead of this one)."""
        self.quit_requested.set()
        if self._began.is_set() and self.on_quit is not None:
            self.on_quit()

    @Slot()
    def discard(self) -> None:
        """Deliver nothing more from this worker (its result is no longer wanted)."""
        self._discarded = True

    @property
    def discarded(self) -> bool:
        return self._discarded

    # --- pool thread ---------------------------------------------------------------------

    def report(self, value: object) -> None:
        """Send value as `yielded` from inside the function: for work that reports through
        a callback (a copy's progress) rather than by yielding."""
        self._yielded.emit(value)

    def work(self) -> None:
        self._began.set()
        if self.quit_requested.is_set() and self.on_quit is not None:
            self.on_quit()  # asked to stop while it waited: now it reaches this work only
        self._started.emit()
        try:
            result = self._call()
            if inspect.isgenerator(result):
                result = self._drain(result)
        except UserError as exc:
            self._failed.emit(exc)
        except Exception as exc:
            log.exception("background work %s failed", self._name)
            self._failed.emit(exc)
        else:
            self._returned.emit(result)
        finally:
            self._finished.emit()

    def _drain(self, gen: Generator[Any, Any, Any]) -> Any:
        while True:
            try:
                value = next(gen)
            except StopIteration as stop:
                return stop.value
            self._yielded.emit(value)
            if self.quit_requested.is_set() and self.on_quit is not None:
                # Repeated after each value: a stop that landed before the function
                # cleared its own stop flag would otherwise be lost.
                self.on_quit()

    # --- delivery (GUI thread) -----------------------------------------------------------

    @Slot()
    def _deliver_started(self) -> None:
        if not self._discarded:
            self.started.emit()

    @Slot(object)
    def _deliver_yielded(self, value: object) -> None:
        if not self._discarded:
            self.yielded.emit(value)

    @Slot(object)
    def _deliver_returned(self, value: object) -> None:
        if not self._discarded:
            self.returned.emit(value)

    @Slot(object)
    def _deliver_failed(self, exc: BaseException) -> None:
        if not self._discarded:
            self.errored.emit(exc)
            self.failed.emit(plain_failure(exc))

    @Slot()
    def _deliver_finished(self) -> None:
        _RUNNING.discard(self)
        if not self._discarded:
            self.finished.emit()


def create_worker(
    func: Callable[..., Any], *args: Any, on_quit: Callable[[], None] | None = None, **kwargs: Any
) -> Worker:
    """A Worker for func(*args, **kwargs); connect its signals, then start() it."""
    return Worker(func, *args, on_quit=on_quit, **kwargs)


def run_in_pool(
    pool: QThreadPool,
    func: Callable[[], Any],
    on_result: Callable[[Any], None],
    on_error: Callable[[str], None],
    *,
    replaces: Worker | None = None,
) -> Worker:
    """The common case: one call whose result or failure is all that matters.

    `replaces` is the previous request of the same kind: it is discarded, so only the
    latest result arrives (a slower earlier read is dropped when it lands).
    """
    if replaces is not None:
        replaces.discard()
    worker = create_worker(func)
    worker.returned.connect(on_result)
    worker.failed.connect(on_error)
    return worker.start(pool)


def stop_pool(pool: QThreadPool, *workers: Worker | None) -> None:
    """Drop what was queued and what the workers would still deliver; wait for the rest."""
    for worker in workers:
        if worker is not None:
            worker.discard()
    pool.clear()
    pool.waitForDone()
