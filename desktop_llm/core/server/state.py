"""What the local server has done, for whoever shows it (the window's indicator, the CLI):
kept apart from the HTTP side so that showing it does not import the web framework."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class ServerState:
    """What the window's indicator shows: requests answered and running."""

    served: int = 0
    running: int = 0
    listeners: list[Callable[[ServerState], None]] = field(default_factory=list)

    def changed(self) -> None:
        for listener in list(self.listeners):
            try:
                listener(self)
            except Exception:  # a listener's failure must not fail a request
                log.exception("a server-state listener failed")
