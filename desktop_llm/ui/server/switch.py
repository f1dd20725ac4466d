"""The window's one local server: started and stopped off the GUI thread, its news on it.

A ServerSwitch owns at most one LocalServer (core/server/runner.py) over the window's
ModelHost, so API requests and the window take turns at the one loaded model. Binding the
port and starting uvicorn wait (up to seconds), and stopping waits for running requests, so
both run in the switch's own pool; what happens is told by signals on the GUI thread. The
server's own counters change on its threads: they are posted over here as a queued signal,
never read into a widget from there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Literal

from PySide6.QtCore import QObject, Signal

from desktop_llm.core.config import Settings
from desktop_llm.core.errors import UserError
from desktop_llm.core.model_host import ModelHost
from desktop_llm.core.server.runner import LocalServer, ServerOptions
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool

log = logging.getLogger(__name__)

Phase = Literal["stopped", "starting", "running", "stopping"]
# Closing the window waits this long for the server to stop (running requests are cut).
CLOSE_WAIT_S = 5.0


class ServerSwitch(QObject):
    started = Signal(str)  # the URL clients use (…/v1)
    stopped = Signal()
    failed = Signal(str)  # why it could not start, in plain words
    changed = Signal(int, int)  # requests answered, requests running
    phase_changed = Signal(str)  # Phase

    # Emitted on the server's threads; delivered (queued) to this object's thread.
    _counted = Signal(int, int)

    def __init__(
        self,
        host: ModelHost,
        settings: Settings,
        parent: QObject | None = None,
        *,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.settings = settings
        self._env = env
        self._pool = make_pool(self, "local-server")
        self._server: LocalServer | None = None
        self._starting: LocalServer | None = None
        self._worker: Worker | None = None
        self._phase: Phase = "stopped"
        self._stop_wanted = False  # Stop pressed while it was starting
        self._closed = False
        self.served = 0
        self.in_flight = 0
        self.last_failure: str | None = None
        self._counted.connect(self._on_counted)

    # --- state (GUI thread) ------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def running(self) -> bool:
        return self._phase == "running"

    @property
    def url(self) -> str | None:
        return self._server.url if self._server is not None and self.running else None

    def _set_phase(self, phase: Phase) -> None:
        self._phase = phase
        self.phase_changed.emit(phase)

    # --- start and stop ----------------------------------------------------------------------

    def options(self) -> ServerOptions:
        """The saved settings' options (UserError: the key's variable is not set)."""
        return ServerOptions.from_settings(self.settings, self._env)

    def start(self, options: ServerOptions | None = None) -> bool:
        """Start listening (the saved settings unless `options`); False when it is already
        starting or running. The outcome arrives as started or failed."""
        if self._closed or self._phase != "stopped":
            return False
        try:
            options = options if options is not None else self.options()
            options.check()  # refused at once, in words, before any thread
        except UserError as exc:
            self._fail(str(exc))
            return False
        server = LocalServer(self.host, options)
        # A lambda over the signal only: the server's threads never touch this object's state.
        counted = self._counted
        server.state.listeners.append(lambda state: counted.emit(state.served, state.running))
        self._starting = server
        self._stop_wanted = False
        self.last_failure = None
        self.served = self.in_flight = 0
        self._set_phase("starting")
        self._worker = run_in_pool(
            self._pool, server.start, lambda _none: self._on_started(server), self._fail
        )
        return True

    def stop(self) -> None:
        """Stop listening; running requests get a moment to end, then are cut."""
        if self._phase == "starting":
            self._stop_wanted = True  # once it listens (stopping a half-started uvicorn races)
            return
        if self._phase != "running" or self._server is None:
            return
        server = self._server
        self._set_phase("stopping")
        self._worker = run_in_pool(
            self._pool, server.stop, lambda _none: self._on_stopped(), lambda _m: self._on_stopped()
        )

    def toggle(self) -> None:
        if self._phase in ("starting", "running"):
            self.stop()
        else:
            self.start()

    def _on_started(self, server: LocalServer) -> None:
        self._starting = None
        if self._closed:
            return
        self._server = server
        self._set_phase("running")
        self.started.emit(server.url)
        self.changed.emit(self.served, self.in_flight)
        if self._stop_wanted:
            self.stop()

    def _fail(self, message: str) -> None:
        self._starting = None
        self.last_failure = message
        self._set_phase("stopped")
        self.failed.emit(message)

    def _on_stopped(self) -> None:
        self._server = None
        self.in_flight = 0
        self._set_phase("stopped")
        self.stopped.emit()

    def _on_counted(self, served: int, running: int) -> None:
        if self._closed or (self._server is None and self._starting is None):
            return  # news from a server already stopped
        self.served, self.in_flight = served, running
        self.changed.emit(served, running)

    # --- closing -----------------------------------------------------------------------------

    def shutdown(self, timeout_s: float = CLOSE_WAIT_S) -> None:
        """Stop the server and wait for it (bounded): the window is closing. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._worker is not None:
            self._worker.discard()  # nothing more is told: the window is going
        # A start under way is let finish (it is bounded): stopping uvicorn half-started races.
        if not self._pool.waitForDone(int(timeout_s * 1000)):
            log.error("the local server did not start or stop within %.0f s", timeout_s)
        for server in (self._server, self._starting):
            if server is not None:
                server.state.listeners.clear()
                server.stop(timeout_s)
        self._server = self._starting = None
        self._phase = "stopped"
