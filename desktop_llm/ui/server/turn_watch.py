"""Whose turn it is at the engine, told on the GUI thread (core/turns.py: the window's
requests wait behind API requests that came first).

The host's Turns calls its listeners on whatever thread changed the line (an API request's,
the engine queue's), with its lock held: the listener here only emits a queued signal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop_llm.core.i18n import PLURAL, translate
from desktop_llm.core.turns import Turns, TurnState


def api_wait_text(count: int) -> str:
    """What a reply's or a run's status says while `count` API requests go first."""
    return translate("Turns", "Waiting for %n API request(s)…", None, PLURAL, count)


def api_ahead(state: TurnState) -> int:
    """How many API requests a waiting window request waits for (0: none waits for any)."""
    return state.api_ahead_of_window if state.waiting_window else 0


class TurnWatch(QObject):
    changed = Signal(object)  # TurnState, on the GUI thread

    def __init__(self, turns: Turns, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Emitting from another thread queues the call to this object's (the GUI) thread.
        self._unsubscribe = turns.subscribe(self.changed.emit)

    def shutdown(self) -> None:
        self._unsubscribe()
