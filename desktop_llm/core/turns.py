"""Whose turn it is at the one engine: the window's requests and the local server's.

The window and the local OpenAI-compatible server (core/server) share one ModelHost, so one
loaded model; the engine answers one request at a time. Each request takes a turn, first come
first served: a chat message sent while API requests run waits behind them, and the window
is told so (subscribe). API requests wait in a bounded line: past `limit` waiting, a new one is
refused at once (EngineBusy, which the server answers with 429 and Retry-After), so a busy
client cannot pile up work the user never sees the end of.

A thread that holds a turn may take it again (a task run's load, then its pieces).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

Who = Literal["window", "api"]
ABANDON_POLL_S = 0.1


class TurnAbandoned(Exception):
    """The request was stopped while it waited for its turn: it never reached the engine."""


class EngineBusy(Exception):
    """The line of API requests is full."""

    def __init__(self, waiting: int) -> None:
        super().__init__(f"{waiting} requests are waiting for the engine")
        self.waiting = waiting


@dataclass(frozen=True)
class TurnState:
    """What the engine is doing for whom: who holds it (None: nobody), and how many requests
    of each kind wait."""

    holder: Who | None
    waiting_window: int
    waiting_api: int
    # The API requests ahead of the first waiting window request (what its line says).
    api_ahead_of_window: int


@dataclass(eq=False)
class _Ticket:
    number: int
    who: Who
    thread: int


class Turns:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._numbers = itertools.count()
        self._line: list[_Ticket] = []  # waiting, in order of arrival
        self._holder: _Ticket | None = None
        self._depth = 0
        self._listeners: list[Callable[[TurnState], None]] = []
        self.served: dict[Who, int] = {"window": 0, "api": 0}

    @contextlib.contextmanager
    def turn(
        self, who: Who, *, limit: int | None = None, abandon: threading.Event | None = None
    ) -> Iterator[None]:
        """Wait for the engine, first come first served, and hold it inside the block.
        limit: refuse with EngineBusy when this many of `who`'s requests already wait.
        abandon: set while it waits (the user's Stop, a client gone), the request leaves the
        line at once with TurnAbandoned instead of waiting for the requests before it."""
        me = threading.get_ident()
        with self._lock:
            if self._holder is not None and self._holder.thread == me:
                self._depth += 1
                ticket = None
            else:
                if limit is not None:
                    waiting = sum(1 for t in self._line if t.who == who)
                    if waiting >= limit:
                        raise EngineBusy(waiting)
                ticket = _Ticket(next(self._numbers), who, me)
                self._line.append(ticket)
                changed = self._holder is not None
                try:
                    while self._holder is not None or self._line[0] is not ticket:
                        if changed:
                            self._tell()
                            changed = False
                        if abandon is not None and abandon.is_set():
                            raise TurnAbandoned
                        # A Stop sets its event without this lock: looked at a few times a
                        # second while waiting.
                        self._lock.wait(ABANDON_POLL_S if abandon is not None else None)
                except BaseException:
                    self._line.remove(ticket)
                    self._lock.notify_all()
                    self._tell()
                    raise
                self._line.pop(0)
                self._holder, self._depth = ticket, 1
                self._tell()
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    assert self._holder is not None
                    self.served[self._holder.who] += 1
                    self._holder = None
                    self._lock.notify_all()
                    self._tell()

    def held_here(self) -> bool:
        """Whether the calling thread holds the engine's turn (a nested request)."""
        with self._lock:
            return self._holder is not None and self._holder.thread == threading.get_ident()

    def state(self) -> TurnState:
        with self._lock:
            return self._state()

    def _state(self) -> TurnState:
        window = [i for i, t in enumerate(self._line) if t.who == "window"]
        first_window = window[0] if window else len(self._line)
        ahead = sum(1 for t in self._line[:first_window] if t.who == "api")
        if window and self._holder is not None and self._holder.who == "api":
            ahead += 1
        return TurnState(
            holder=self._holder.who if self._holder else None,
            waiting_window=len(window),
            waiting_api=sum(1 for t in self._line if t.who == "api"),
            api_ahead_of_window=ahead,
        )

    def subscribe(self, listener: Callable[[TurnState], None]) -> Callable[[], None]:
        """listener(TurnState) on every change, on the thread that made it (never the GUI's
        own: marshal it); returns the unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _tell(self) -> None:
        # Called with the lock held: listeners only post the state on (a Qt signal).
        state = self._state()
        for listener in list(self._listeners):
            try:
                listener(state)
            except Exception:  # a listener's failure must not break the line
                log.exception("a turn listener failed")
