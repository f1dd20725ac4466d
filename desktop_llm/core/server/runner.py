"""The local server's life: options checked, the port bound, uvicorn run on a thread of its
own (the window's and the CLI's alike), stopped on request with running requests cancelled."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_llm.core.config import Settings
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.model_host import ModelHost
from desktop_llm.core.server.state import ServerState

log = logging.getLogger(__name__)

START_TIMEOUT_S = 15.0
# Running requests get this long to end after Stop before their connections are closed.
GRACEFUL_S = 2


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    queue_limit: int = 8

    @classmethod
    def from_settings(
        cls,
        settings: Settings | Mapping[str, Any],
        env: Mapping[str, str] | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        api_key_env: str | None = None,
    ) -> ServerOptions:
        """The settings' server.* values (or the same names in a mapping: the settings page's
        values before they are saved), with the command line's over them. The key is read
        from the environment variable named (never from a file or the command line)."""
        env = os.environ if env is None else env
        variable = api_key_env if api_key_env is not None else settings["server.api_key_env"]
        key = None
        if variable:
            key = env.get(variable) or None
            if key is None:
                raise UserError(
                    arg(
                        translate(
                            "Server",
                            "The environment variable %1 that should hold the API "
                            "key is not set or empty.",
                        ),
                        variable,
                    )
                )
        return cls(
            host=host or settings["server.host"],
            port=settings["server.port"] if port is None else port,
            api_key=key,
            cors_origins=tuple(settings["server.cors_origins"].split()),
            queue_limit=settings["server.queue_limit"],
        )

    def check(self) -> None:
        """Refuse to listen beyond this computer without a key (a UserError that says why)."""
        if not is_loopback(self.host) and not self.api_key:
            raise UserError(
                arg(
                    translate(
                        "Server",
                        "Listening on %1 lets other computers on the network use your models "
                        "and your computer's power. Set an API key first (server.api_key_env, "
                        "or --api-key-env), or listen on 127.0.0.1.",
                    ),
                    self.host,
                )
            )

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"


class LocalServer:
    """One running server over a ModelHost: start(), then stop() (idempotent)."""

    def __init__(self, host: ModelHost, options: ServerOptions) -> None:
        self.host = host
        self.options = options
        self.state = ServerState()
        self._server: object | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def url(self) -> str:
        return self.options.url

    def _bind(self) -> socket.socket:
        options = self.options
        try:
            infos = socket.getaddrinfo(options.host, options.port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise UserError(
                arg(
                    translate("Server", "%1 is not an address of this computer: %2"),
                    options.host,
                    exc.strerror or exc,
                )
            ) from None
        family, kind, proto, _name, address = infos[0]
        sock = socket.socket(family, kind, proto)
        if os.name != "nt":  # a restart must not wait for the old socket's TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            sock.close()
            raise UserError(
                arg(
                    translate(
                        "Server",
                        "The server cannot listen on %1 port %2: %3. Another program may be "
                        "using the port; choose another in Settings → Local server or with "
                        "--port.",
                    ),
                    options.host,
                    options.port,
                    exc.strerror or exc,
                )
            ) from None
        sock.listen(128)
        if options.port == 0:  # tests: the port the system chose
            self.options = ServerOptions(**{**options.__dict__, "port": sock.getsockname()[1]})
        return sock

    def start(self) -> None:
        """Bind and serve on a thread; returns once the server answers (or raises UserError)."""
        # The web framework is imported when a server starts, not with the window.
        import uvicorn

        from desktop_llm.core.server.app import make_app

        self.options.check()
        sock = self._bind()
        app = make_app(
            self.host,
            api_key=self.options.api_key,
            cors_origins=self.options.cors_origins,
            queue_limit=self.options.queue_limit,
            state=self.state,
        )
        config = uvicorn.Config(
            app,
            log_config=None,  # the app's own logging, not uvicorn's handlers
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=GRACEFUL_S,
        )
        server = uvicorn.Server(config)
        self._server = server

        def serve() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            except BaseException as exc:  # SystemExit from uvicorn's startup included
                self._failure = exc
                log.exception("the local server stopped")
            finally:
                sock.close()

        self._thread = threading.Thread(target=serve, name="desktop-llm server", daemon=True)
        self._thread.start()
        waited = 0.0
        while not server.started:
            if not self._thread.is_alive() or waited > START_TIMEOUT_S:
                self.stop()
                raise UserError(
                    arg(translate("Server", "The server did not start: %1"), self._failure)
                )
            self._thread.join(0.02)
            waited += 0.02
        log.info("local server listening on %s", self.url)

    def stop(self, timeout_s: float = 10.0) -> None:
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)
        self._server = self._thread = None
