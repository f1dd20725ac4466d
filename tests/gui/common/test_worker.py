"""The window's one background idiom (Worker) and the engine queue built on it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from PySide6.QtCore import QObject, QThread
from pytestqt.qtbot import QtBot

from desktop_llm.core.errors import UserError
from desktop_llm.ui.common.engine_queue import EngineQueue
from desktop_llm.ui.common.worker import busy_pools, create_worker, make_pool, run_in_pool


def test_values_arrive_in_order_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    pool = make_pool(owner, "test")
    seen: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()

    def count() -> Iterator[int]:
        assert QThread.currentThread() is not gui  # the work runs off the GUI thread
        yield 1
        yield 2
        return 3

    worker = create_worker(count)
    worker.yielded.connect(lambda v: seen.append(("yielded", v, QThread.currentThread() is gui)))
    worker.returned.connect(lambda v: seen.append(("returned", v, QThread.currentThread() is gui)))
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start(pool)
    assert seen == [("yielded", 1, True), ("yielded", 2, True), ("returned", 3, True)]
    pool.waitForDone()
    assert not busy_pools()


def test_failures_come_back_in_plain_words(qtbot: QtBot) -> None:
    owner = QObject()
    pool = make_pool(owner, "test")
    messages: list[str] = []

    def refuse() -> None:
        raise UserError("The file is not a GGUF model.")

    def crash() -> None:
        raise ZeroDivisionError("division by zero")

    for func in (refuse, crash):
        worker = run_in_pool(pool, func, lambda _r: None, messages.append)
        qtbot.waitSignal(worker.finished, timeout=5000).wait()
    assert messages[0] == "The file is not a GGUF model."
    assert messages[1].startswith("Something went wrong (ZeroDivisionError: division by zero)")
    pool.waitForDone()


def test_a_replaced_request_delivers_nothing(qtbot: QtBot) -> None:
    owner = QObject()
    pool = make_pool(owner, "test", threads=2)
    release = threading.Event()
    results: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "old"

    first = run_in_pool(pool, slow, results.append, results.append)
    second = run_in_pool(pool, lambda: "new", results.append, results.append, replaces=first)
    qtbot.waitSignal(second.finished, timeout=5000).wait()
    release.set()
    pool.waitForDone()
    qtbot.wait(50)  # anything the first one sent has been delivered by now
    assert results == ["new"] and first.discarded


def test_quit_calls_on_quit_after_each_value_once_started(qtbot: QtBot) -> None:
    owner = QObject()
    pool = make_pool(owner, "test")
    stop = threading.Event()
    calls: list[int] = []

    def ticks() -> Iterator[int]:
        n = 0
        while not stop.is_set() and n < 10_000:
            n += 1
            yield n
            stop.wait(0.001)

    def on_quit() -> None:
        calls.append(1)
        stop.set()

    worker = create_worker(ticks, on_quit=on_quit)
    # Asked to stop before it began: the callback waits until it begins.
    worker.quit()
    assert calls == []
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start(pool)
    assert stop.is_set() and calls  # at the start, and again after the one value
    pool.waitForDone()


def test_one_foreground_job_at_a_time_and_idle_work_yields(qtbot: QtBot) -> None:
    engine = EngineQueue()
    idle_stop = threading.Event()

    def idle() -> Iterator[object]:
        idle_stop.wait(10)
        yield from ()

    baseline = engine.submit(idle, kind="baseline", on_cancel=idle_stop.set, yields=True)
    assert engine.refusal() is None  # idle work refuses nothing

    release = threading.Event()

    def reply() -> Iterator[object]:
        yield "token"
        release.wait(10)

    job = engine.submit(reply, kind="reply", on_cancel=release.set, busy_text="Busy writing.")
    assert baseline.worker.quit_requested.is_set()  # the reply interrupts the baseline
    assert engine.refusal() == "Busy writing."
    with qtbot.waitSignal(job.worker.finished, timeout=10_000):
        release.set()
    assert engine.refusal() is None and not engine.busy
    assert engine.shutdown(timeout_s=5)
    assert engine.refusal() == "The window is closing."


def test_a_waiting_job_can_be_withdrawn_without_stopping_the_running_one(qtbot: QtBot) -> None:
    engine = EngineQueue()
    release = threading.Event()
    stopped: list[str] = []
    ran: list[str] = []

    def running() -> Iterator[object]:
        yield "token"
        release.wait(10)
        ran.append("running")

    def waiting() -> Iterator[object]:
        ran.append("waiting")
        yield from ()

    first = engine.submit(
        running, kind="task", on_cancel=lambda: stopped.append("first"), waits_text="Waits."
    )
    with qtbot.waitSignal(first.worker.yielded, timeout=10_000):
        pass
    second = engine.submit(waiting, kind="reply", on_cancel=lambda: stopped.append("second"))
    assert engine.ahead_of(second) is first and engine.ahead_of(first) is None
    with qtbot.waitSignal(engine.changed, timeout=1000):
        assert engine.withdraw(second)
    assert engine.pending() == [first] and stopped == []
    assert not engine.withdraw(first)  # it has begun: only a stop ends it
    with qtbot.waitSignal(second.worker.finished, timeout=10_000):
        release.set()
    assert ran == ["running"] and stopped == [] and not engine.busy
    assert engine.shutdown(timeout_s=5)
