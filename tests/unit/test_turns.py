"""Turns at the one engine (core/turns.py): first come first served across the window and
the API, a bounded line for the API, re-entry by the holder, and what listeners hear."""

from __future__ import annotations

import threading
import time

from desktop_llm.core.turns import EngineBusy, Turns, TurnState


def wait_until(check, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_requests_are_served_in_the_order_they_arrive() -> None:
    turns = Turns()
    order: list[str] = []

    def take(name: str, who: str) -> None:
        with turns.turn(who):  # type: ignore[arg-type]
            order.append(name)

    with turns.turn("api"):
        threads = []
        for i, who in enumerate(["window", "api", "window", "api"]):
            t = threading.Thread(target=take, args=(f"{who}{i}", who))
            t.start()
            threads.append(t)
            wait_until(lambda n=i: len(turns._line) == n + 1)
    for t in threads:
        t.join(5)
    assert order == ["window0", "api1", "window2", "api3"]
    assert turns.served == {"window": 2, "api": 3}


def test_the_api_line_is_bounded_and_the_window_is_not() -> None:
    turns = Turns()
    refused: list[EngineBusy] = []
    release = threading.Event()

    def api_request() -> None:
        try:
            with turns.turn("api", limit=1):
                release.wait(5)
        except EngineBusy as exc:
            refused.append(exc)

    def window_request() -> None:
        with turns.turn("window"):
            pass

    with turns.turn("window"):
        first = threading.Thread(target=api_request)
        first.start()
        wait_until(lambda: turns.state().waiting_api == 1)
        second = threading.Thread(target=api_request)
        second.start()
        second.join(5)
        assert len(refused) == 1 and refused[0].waiting == 1
        windows = [threading.Thread(target=window_request) for _ in range(3)]
        for w in windows:
            w.start()
        wait_until(lambda: turns.state().waiting_window == 3)  # no limit for the window
    release.set()
    first.join(5)
    for w in windows:
        w.join(5)
    assert turns.served == {"window": 4, "api": 1}


def test_the_holder_may_take_its_turn_again() -> None:
    turns = Turns()
    with turns.turn("window"), turns.turn("window"), turns.turn("api"):
        assert turns.state().holder == "window"
    assert turns.state().holder is None
    assert turns.served == {"window": 1, "api": 0}


def test_listeners_hear_who_waits_behind_api_requests() -> None:
    turns = Turns()
    heard: list[TurnState] = []
    unsubscribe = turns.subscribe(heard.append)

    def window_request() -> None:
        with turns.turn("window"):
            pass

    t = threading.Thread(target=window_request)
    with turns.turn("api"):
        t.start()
        wait_until(lambda: any(s.waiting_window for s in heard))
    t.join(5)
    waiting = next(s for s in heard if s.waiting_window)
    assert waiting.holder == "api" and waiting.api_ahead_of_window == 1
    assert any(s.holder == "window" and s.waiting_window == 0 for s in heard)
    assert heard[-1] == TurnState(None, 0, 0, 0)
    unsubscribe()
    count = len(heard)
    with turns.turn("window"):
        pass
    assert len(heard) == count


def test_a_stop_while_waiting_leaves_the_line_at_once() -> None:
    from desktop_llm.core.turns import TurnAbandoned

    turns = Turns()
    stop = threading.Event()
    outcome: list[str] = []

    def window_request() -> None:
        try:
            with turns.turn("window", abandon=stop):
                outcome.append("served")
        except TurnAbandoned:
            outcome.append("abandoned")

    with turns.turn("api"):
        t = threading.Thread(target=window_request)
        t.start()
        wait_until(lambda: turns.state().waiting_window == 1)
        stop.set()
        t.join(2)
        assert outcome == ["abandoned"]
        assert turns.state().waiting_window == 0  # out of the line, while the API request runs
    assert turns.served == {"window": 0, "api": 1}
