"""A real OpenAI-compatible server for the remote-engine tests, and a proxy that injects faults.

run_llama_server() starts llama-cpp-python's own server (`python -m llama_cpp.server`, the
`[server]` extras of the test dependencies) on 127.0.0.1 with a model file, and waits until
`GET /v1/models` answers. It serves /v1/models, /v1/chat/completions (streamed or not, with
`logprobs`/`top_logprobs`), /extras/tokenize and /extras/tokenize/count. Its output goes to a
log file, never to the test's terminal.

FaultProxy sits in front of it on 127.0.0.1: it forwards the real requests to the real server
and passes its real answers through (a streamed answer event by event, as the events arrive),
unless a test tells it otherwise, at any time:

    proxy.passthrough()            forward everything (the default)
    proxy.status(401)              answer every request with that status and an OpenAI-shaped
                                   error body ({"error": {"message", "type", "param", "code"}})
    proxy.drop_after(3)            forward a streamed answer's first 3 SSE events, then close
                                   the connection abruptly (no end of the chunked body)
    proxy.silence_after(3)         forward 3 events, then send nothing, holding the connection
                                   open until the proxy is told otherwise or closed
    proxy.refuse()                 reset every connection at once, before any answer

Events are counted per answer; a `data:` line and the blank line after it are one event. An
answer that is not streamed (JSON) counts as one event: with n >= 1 it passes whole, with
n == 0 nothing of it is sent (drop: the connection closes with no answer; silence: no
answer at all). Each fault mode takes `only="/v1/chat"` (it applies to paths starting with
that; the others pass) and `times=N` (it applies to the next N requests it matches, then the
proxy passes again). A held (silent) answer is released when the mode changes: to pass, the
rest of it is forwarded as the server sent it; to anything else, its connection is closed.

Every request the proxy saw is in `proxy.requests` (method, path, headers as the client sent
them, Authorization included, and the JSON body), whatever the mode.

Note: llama-cpp-python's server answers one request at a time. By default it cuts a streamed
answer short when another request arrives (`interrupt_requests`); it is started here with that
off, so a second request waits for the first instead.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

STARTUP_TIMEOUT = 60.0

# llama_cpp.server reads its settings from the environment too (pydantic-settings, no prefix:
# MODEL, N_CTX, API_KEY...), and HOST/PORT from the environment override its command line.
_SERVER_ENV_NAMES = ("HOST", "PORT", "CONFIG_FILE")


@dataclass
class RunningServer:
    base_url: str  # http://127.0.0.1:PORT/v1
    port: int
    process: subprocess.Popen
    alias: str
    api_key: str | None
    log: Path

    @property
    def root_url(self) -> str:
        """The server's root, without /v1 (its /extras/... endpoints are there)."""
        return self.base_url.removesuffix("/v1")

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log, lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return f"(no log: {e})"
    return "\n".join(text.splitlines()[-lines:])


def _server_env() -> dict[str, str]:
    """This environment without what would override the server's command line."""
    from llama_cpp.server.settings import Settings

    names = {n.upper() for n in Settings.model_fields} | set(_SERVER_ENV_NAMES)
    return {k: v for k, v in os.environ.items() if k.upper() not in names}


@contextmanager
def run_llama_server(
    model: Path,
    *,
    alias: str = "smol",
    api_key: str | None = None,
    n_ctx: int = 2048,
    log: Path,
    timeout: float = STARTUP_TIMEOUT,
) -> Iterator[RunningServer]:
    """`python -m llama_cpp.server` serving `model` as `alias` on a free loopback port.

    Yields once `GET /v1/models` answers 200; raises RuntimeError with the log's tail if it
    does not within `timeout` seconds (or the process ends). Terminates it (then kills it)
    and waits for it at the end.
    """
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--model_alias",
        alias,
        "--n_ctx",
        str(n_ctx),
        "--interrupt_requests",
        "false",
    ]
    if api_key is not None:
        cmd += ["--api_key", api_key]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=_server_env()
        )
    server = RunningServer(
        base_url=f"http://127.0.0.1:{port}/v1",
        port=port,
        process=process,
        alias=alias,
        api_key=api_key,
        log=log,
    )
    try:
        _wait_until_serving(server, timeout)
        yield server
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, grace: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(server: RunningServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    headers = {"Authorization": f"Bearer {server.api_key}"} if server.api_key else {}
    last = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"llama_cpp.server exited with {server.process.returncode} before serving; "
                f"the end of {server.log}:\n{server.log_tail()}"
            )
        request = urllib.request.Request(f"{server.base_url}/models", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    return
                last = f"HTTP {answer.status}"
        except urllib.error.HTTPError as e:
            e.close()
            last = f"HTTP {e.code}"
        except (OSError, http.client.HTTPException) as e:
            last = repr(e)
        time.sleep(0.2)
    raise RuntimeError(
        f"llama_cpp.server on port {server.port} did not answer GET /v1/models within "
        f"{timeout:.0f} s (last: {last}); the end of {server.log}:\n{server.log_tail()}"
    )


# -- the proxy ---------------------------------------------------------------------------

_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
    # The proxy reads the events of streamed answers: the server must not compress them.
    "accept-encoding",
}

_ERRORS = {
    400: ("Bad request", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("Forbidden.", "invalid_request_error", None),
    404: ("The model does not exist.", "invalid_request_error", "model_not_found"),
    429: ("Rate limit reached.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    502: ("Bad gateway.", "server_error", None),
    503: ("The server is overloaded or not ready yet.", "server_error", None),
}


def openai_error(code: int, message: str | None = None) -> dict[str, Any]:
    """An error body as OpenAI's API (and the compatible servers) send it."""
    default, kind, err_code = _ERRORS.get(code, (f"HTTP {code}", "server_error", None))
    return {"error": {"message": message or default, "type": kind, "param": None, "code": err_code}}


@dataclass
class SeenRequest:
    method: str
    path: str  # with its query string, as the client sent it
    headers: dict[str, str]  # as the client sent them (names as sent; see header())
    body: bytes
    mode: str  # the proxy's mode when it came

    @property
    def json(self) -> Any:
        """The body parsed as JSON; None when empty or not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None

    def header(self, name: str) -> str | None:
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return None

    @property
    def authorization(self) -> str | None:
        return self.header("Authorization")


@dataclass
class _Mode:
    name: str = "pass"  # pass | status | drop | silence | refuse
    code: int = 0
    body: bytes = b""
    events: int = 0
    only: str | None = None
    times: int | None = None  # None: every matching request
    generation: int = 0  # bumped at every change: releases held answers


@dataclass
class _State:
    upstream: tuple[str, int]
    mode: _Mode = field(default_factory=_Mode)
    requests: list[SeenRequest] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    closing: bool = False
    connections: set[socket.socket] = field(default_factory=set)
    held: int = 0  # answers silenced right now


class FaultProxy:
    """A loopback HTTP proxy in front of a real server; see the module docstring."""

    def __init__(self, upstream: str) -> None:
        """`upstream`: the server's URL (its /v1 and any path are ignored: host and port)."""
        from urllib.parse import urlsplit

        parts = urlsplit(upstream)
        assert parts.hostname and parts.port, upstream
        self._state = _State(upstream=(parts.hostname, parts.port))
        state = self._state

        class Handler(_ProxyHandler):
            shared = state

        self._server = _ProxyServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = False
        self._server.block_on_close = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fault-proxy"
        )
        self._thread.start()

    # -- where it listens -----------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    # -- what it saw ----------------------------------------------------------------------

    @property
    def requests(self) -> list[SeenRequest]:
        with self._state.changed:
            return list(self._state.requests)

    def clear_requests(self) -> None:
        with self._state.changed:
            self._state.requests.clear()

    @property
    def mode(self) -> str:
        with self._state.changed:
            return self._state.mode.name

    @property
    def held(self) -> int:
        """How many answers are being held silent right now."""
        with self._state.changed:
            return self._state.held

    def wait_held(self, n: int = 1, timeout: float = 30.0) -> bool:
        """Wait until at least n answers are held silent (a test's sync point)."""
        with self._state.changed:
            return self._state.changed.wait_for(lambda: self._state.held >= n, timeout)

    # -- what it does ---------------------------------------------------------------------

    def _set(self, name: str, **kw: Any) -> None:
        with self._state.changed:
            generation = self._state.mode.generation + 1
            self._state.mode = _Mode(name=name, generation=generation, **kw)
            self._state.changed.notify_all()

    def passthrough(self) -> None:
        """Forward everything (releasing held answers: their rest is forwarded)."""
        self._set("pass")

    def status(
        self,
        code: int,
        body: dict | str | None = None,
        *,
        only: str | None = None,
        times: int | None = None,
    ) -> None:
        """Answer with this HTTP status: `body` a JSON object, or the error's message."""
        if isinstance(body, dict):
            data = json.dumps(body).encode()
        else:
            data = json.dumps(openai_error(code, body)).encode()
        self._set("status", code=code, body=data, only=only, times=times)

    def drop_after(self, n_events: int, *, only: str | None = None, times: int | None = None):
        self._set("drop", events=n_events, only=only, times=times)

    def silence_after(
        self, n_events: int, *, only: str | None = None, times: int | None = None
    ) -> None:
        self._set("silence", events=n_events, only=only, times=times)

    def refuse(self, *, only: str | None = None, times: int | None = None) -> None:
        self._set("refuse", only=only, times=times)

    def close(self) -> None:
        """Stop: release held answers, cut open connections, join the threads."""
        with self._state.changed:
            self._state.closing = True
            self._state.changed.notify_all()
        self._server.shutdown()
        with self._state.changed:
            conns = list(self._state.connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ProxyServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up and connections the proxy cuts itself are the point here.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Cut(Exception):
    """The answer ends here; the client's connection is closed (abruptly)."""


class _ProxyHandler(BaseHTTPRequestHandler):
    shared: _State
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is closed after this

    def setup(self) -> None:
        super().setup()
        with self.shared.changed:
            self.shared.connections.add(self.connection)

    def finish(self) -> None:
        with self.shared.changed:
            self.shared.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    # -- one request --------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _take_mode(self) -> _Mode:
        """The mode this request meets (counting it against `times`)."""
        with self.shared.changed:
            mode = self.shared.mode
            if mode.name == "pass" or (mode.only and not self.path.startswith(mode.only)):
                return _Mode(generation=mode.generation)
            if mode.times is not None:
                mode.times -= 1
                if mode.times <= 0:
                    # Used up: later requests pass (this one still meets the fault).
                    self.shared.mode = _Mode(generation=mode.generation)
            return mode

    def _handle(self) -> None:
        body = self._read_body()
        mode = self._take_mode()
        with self.shared.changed:
            self.shared.requests.append(
                SeenRequest(self.command, self.path, dict(self.headers.items()), body, mode.name)
            )
        try:
            if mode.name == "refuse":
                self._cut(reset=True)
            elif mode.name == "status":
                self._send_status(mode)
            else:
                self._forward(body, mode)
        except _Cut:
            self._cut()
        except (OSError, http.client.HTTPException):
            # The client went away, or the server did (refused, died mid-answer): the client's
            # connection ends as abruptly as the server's did.
            self._cut(reset=True)

    def _send_status(self, mode: _Mode) -> None:
        self.send_response(mode.code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(mode.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(mode.body)

    def _cut(self, *, reset: bool = False) -> None:
        """Close the client's connection now, mid-answer: a FIN, or a RST when `reset`."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.wfile.flush()
        with contextlib.suppress(OSError):
            if reset:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
            else:
                self.connection.shutdown(socket.SHUT_RDWR)

    def _forward(self, body: bytes, mode: _Mode) -> None:
        host, port = self.shared.upstream
        upstream = http.client.HTTPConnection(host, port, timeout=120)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            headers["Host"] = f"{host}:{port}"
            headers["Accept-Encoding"] = "identity"
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            limit = mode.events if mode.name in ("drop", "silence") else None
            if limit == 0:
                self._limit_reached(mode)  # nothing sent yet; returns only when released
                limit = None
            if not answer.getheader("Content-Type", "").startswith("text/event-stream"):
                data = answer.read()
                self._send_head(answer, length=len(data))
                if self.command != "HEAD":
                    self.wfile.write(data)
                return
            self._send_head(answer, length=None)
            self._stream(answer, mode, limit)
        finally:
            upstream.close()

    def _send_head(self, answer: http.client.HTTPResponse, *, length: int | None) -> None:
        self.send_response(answer.status, answer.reason)
        for k, v in answer.getheaders():
            if k.lower() not in _HOP_BY_HOP and k.lower() not in ("date", "server"):
                self.send_header(k, v)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def _stream(self, answer: http.client.HTTPResponse, mode: _Mode, limit: int | None) -> None:
        """Forward SSE events as they arrive; at the limit, drop or go silent."""
        sent = 0
        event: list[bytes] = []
        has_data = False
        while True:
            line = answer.readline()
            if not line:  # the server ended its answer
                self._chunk(b"".join(event))
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
                return
            event.append(line)
            has_data = has_data or line.startswith(b"data:")
            if line.strip():
                continue
            # A blank line ends an event (or a comment block: sse-starlette's pings).
            self._chunk(b"".join(event))
            event = []
            if has_data:
                sent += 1
                has_data = False
                if limit is not None and sent >= limit:
                    self._limit_reached(mode)
                    limit = None

    def _limit_reached(self, mode: _Mode) -> None:
        """Drop: raise _Cut. Silence: hold until the mode changes; return if it became pass
        (the rest of the answer is forwarded), else raise _Cut."""
        if mode.name == "drop":
            raise _Cut
        state = self.shared
        with state.changed:
            state.held += 1
            state.changed.notify_all()
            try:
                state.changed.wait_for(
                    lambda: state.closing or state.mode.generation != mode.generation
                )
                resume = not state.closing and state.mode.name == "pass"
            finally:
                state.held -= 1
                state.changed.notify_all()
        if not resume:
            raise _Cut
