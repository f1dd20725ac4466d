"""A loopback Hugging Face Hub: a real HTTP server on 127.0.0.1 speaking what
huggingface_hub (2.x) and desktop_llm's downloader call, with fault injection per file.

    GET  /api/models?search=&filter=gguf&sort=downloads&limit=N     (HfApi.list_models)
    GET  /api/models/{owner}/{name}[/revision/{rev}]?blobs=true      (HfApi.model_info)
    HEAD /{owner}/{name}/resolve/{rev}/{filename}                    (X-Linked-Etag/-Size...)
    GET  /{owner}/{name}/resolve/{rev}/{filename}   with Range: bytes=N-   -> 206
    GET  /api/agent-harnesses                                        (its user agent; empty)

Tests register repos and files (files on disk: the starter model or small GGUFs they
write), then point HF_ENDPOINT at the server (the `hub` fixture does both). Anything else
is answered 404 and recorded in FakeHub.unknown, so a new call huggingface_hub makes is
noticed, not silently served.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import io
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

CHUNK = 64 * 1024


@dataclass
class Faults:
    """What a file's downloads go through. Counts are of GET requests for the file."""

    drop_after: int | None = None  # close the connection after this many body bytes...
    drop_times: int = 1  # ...on the first drop_times GETs
    wrong_sha256: bool = False  # advertise a sha256 that is not the file's
    missing: bool = False  # 404 on resolve (while still listed)
    stall_after: int | None = None  # send this many bytes, then go silent until shutdown
    chunk_delay: float = 0.0  # sleep between chunks (a slow line)
    fake_size: int | None = None  # advertise this size (e.g. huge) everywhere
    redirect_loop: bool = False  # GET answers 302 to itself, for ever


@dataclass
class ServedFile:
    path: Path
    faults: Faults = field(default_factory=Faults)
    _sha256: str | None = None
    gets: int = 0

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            h = hashlib.sha256()
            with self.path.open("rb") as f:
                while block := f.read(1 << 20):
                    h.update(block)
            self._sha256 = h.hexdigest()
        return self._sha256

    @property
    def advertised_sha256(self) -> str:
        return "0" * 64 if self.faults.wrong_sha256 else self.sha256

    @property
    def advertised_size(self) -> int:
        return self.faults.fake_size if self.faults.fake_size is not None else self.size


@dataclass
class Repo:
    id: str
    downloads: int = 0
    likes: int = 0
    tags: list[str] = field(default_factory=lambda: ["gguf"])
    commit: str = "0123456789abcdef0123456789abcdef01234567"
    files: dict[str, ServedFile] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    range: str | None
    query: dict[str, list[str]]
    authorization: str | None = None


class FakeHub:
    """The repos served, the requests seen, and the server (start()/stop())."""

    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[Request] = []
        self.unknown: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.connections: set[socket.socket] = set()  # open ones, cut at stop()
        # A hostile server's API answers: "endless" (a JSON body that never ends),
        # "gzip_bomb" (1 MB compressed, 1 GB inflated), "not_json", "unsized" (files listed
        # without a size, their bodies without Content-Length), or None (the Hub).
        self.hostile: str | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up ---------------------------------------------------------------------

    def add_repo(self, repo_id: str, downloads: int = 0, **kw) -> Repo:
        repo = Repo(repo_id, downloads=downloads, **kw)
        self.repos[repo_id] = repo
        return repo

    def add_file(self, repo_id: str, path: Path, name: str | None = None, **faults) -> ServedFile:
        repo = self.repos.get(repo_id) or self.add_repo(repo_id)
        served = ServedFile(Path(path), Faults(**faults))
        repo.files[name or Path(path).name] = served
        return served

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def ranges(self, filename: str) -> list[str | None]:
        """The Range header of every GET of a file, in order."""
        with self.lock:
            return [
                r.range for r in self.requests if r.method == "GET" and r.path.endswith(filename)
            ]

    # -- server ---------------------------------------------------------------------

    def start(self) -> FakeHub:
        hub = self

        class Handler(_Handler):
            fake = hub

        server = _Server(("127.0.0.1", 0), Handler)
        server.daemon_threads = False
        server.block_on_close = True  # server_close() joins the request threads
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-hub"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # ends stalled responses
        if self._server is not None:
            self._server.shutdown()
            # Keep-alive connections of clients' pools would hold their threads forever.
            with self.lock:
                conns = list(self.connections)
            for conn in conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up (a cut-off hostile body, a cancelled download) is normal.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeHub
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection is closed after this

    def setup(self) -> None:
        super().setup()
        with self.fake.lock:
            self.fake.connections.add(self.connection)

    def finish(self) -> None:
        with self.fake.lock:
            self.fake.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args) -> None:  # quiet
        pass

    # -- dispatch -------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        with self.fake.lock:
            auth = self.headers.get("Authorization")
            self.fake.requests.append(Request(method, path, self.headers.get("Range"), query, auth))
        try:
            if method == "GET" and path == "/api/agent-harnesses":
                # huggingface_hub 2.x fetches this once a day for its user agent.
                return self._json(200, {"standardEnvVars": [], "harnesses": {}})
            if path.startswith("/api/models") and self.fake.hostile in HOSTILE_BODIES:
                return self._hostile(self.fake.hostile)
            if method == "GET" and path == "/api/models":
                return self._search(query)
            if method == "GET" and path.startswith("/api/models/"):
                return self._model_info(path[len("/api/models/") :])
            if "/resolve/" in path:
                return self._resolve(method, path)
        except (BrokenPipeError, ConnectionResetError):
            return
        with self.fake.lock:
            self.fake.unknown.append(f"{method} {self.path}")
        self._json(404, {"error": f"not served by the fake hub: {path}"})

    # -- responses ------------------------------------------------------------------

    def _json(self, status: int, body, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _not_found(self, code: str, message: str) -> None:
        self._json(404, {"error": message}, {"X-Error-Code": code, "X-Error-Message": message})

    def _hostile(self, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if kind == "gzip_bomb":
            body = _gzip_bomb()
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if kind == "not_json":
            self.send_header("Content-Length", "15")
            self.end_headers()
            self.wfile.write(b"<html>hi</html>")
            return
        self.end_headers()  # endless: no length, the body goes on until the client leaves
        self.close_connection = True
        self.wfile.write(b'[{"id": "')
        block = b"x" * 65536
        while not self.fake.stopping.is_set():
            self.wfile.write(block)

    def _search(self, query: dict[str, list[str]]) -> None:
        text = (query.get("search") or [""])[0].lower()
        filters = query.get("filter") or []
        repos = [
            r
            for r in self.fake.repos.values()
            if text in r.id.lower() and all(f in r.tags for f in filters)
        ]
        if (query.get("sort") or [""])[0] == "downloads":
            repos.sort(key=lambda r: r.downloads, reverse=True)
        limit = int((query.get("limit") or ["1000"])[0])
        self._json(200, [_repo_json(r) for r in repos[:limit]])

    def _model_info(self, rest: str) -> None:
        repo_id, _, revision = rest.partition("/revision/")
        repo = self.fake.repos.get(repo_id)
        if repo is None:
            return self._not_found("RepoNotFound", "Repository not found")
        if revision and unquote(revision) not in ("main", repo.commit):
            return self._not_found("RevisionNotFound", "Invalid rev id")
        body = _repo_json(repo)
        unsized = self.fake.hostile == "unsized"
        body["siblings"] = [
            {
                "rfilename": name,
                "size": None if unsized else f.advertised_size,
                "blobId": f.advertised_sha256[:40],
                "lfs": None
                if unsized
                else {
                    "size": f.advertised_size,
                    "sha256": f.advertised_sha256,
                    "pointerSize": 134,
                },
            }
            for name, f in repo.files.items()
        ]
        self._json(200, body)

    def _resolve(self, method: str, path: str) -> None:
        head, _, filename = path.lstrip("/").partition("/resolve/")
        revision, _, filename = filename.partition("/")
        repo = self.fake.repos.get(head)
        if repo is None:
            return self._not_found("RepoNotFound", "Repository not found")
        if revision not in ("main", repo.commit):
            return self._not_found("RevisionNotFound", "Invalid rev id")
        served = repo.files.get(filename)
        if served is None or served.faults.missing:
            return self._not_found("EntryNotFound", "Entry not found")
        size = served.size
        faults = served.faults
        start = 0
        status = 200
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            first, _, last = rng[len("bytes=") :].partition("-")
            start = int(first or 0)
            if last:  # only open ranges are used by the app
                return self._json(416, {"error": "closed ranges not supported"})
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        if faults.redirect_loop and method == "GET":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{served.advertised_sha256}"'
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("X-Linked-Etag", etag)
        self.send_header("X-Linked-Size", str(served.advertised_size))
        self.send_header("X-Repo-Commit", repo.commit)
        length = (faults.fake_size if faults.fake_size is not None else size) - start
        if self.fake.hostile != "unsized":
            self.send_header("Content-Length", str(length))
        else:
            self.close_connection = True
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.end_headers()
        if method == "HEAD":
            return
        with self.fake.lock:
            served.gets += 1
            attempt = served.gets
        drop = faults.drop_after if attempt <= faults.drop_times else None
        sent = 0
        with served.path.open("rb") as f:
            f.seek(start)
            while True:
                n = CHUNK
                if drop is not None:
                    n = min(n, drop - sent)
                if faults.stall_after is not None:
                    n = min(n, max(0, faults.stall_after - sent))
                if n <= 0:
                    if drop is not None and sent >= drop:
                        self._drop()
                        return
                    self.fake.stopping.wait(120)  # stalled until the server stops
                    self._drop()
                    return
                block = f.read(n)
                if not block:
                    return
                self.wfile.write(block)
                sent += len(block)
                if faults.chunk_delay:
                    time.sleep(faults.chunk_delay)

    def _drop(self) -> None:
        """Cut the connection mid-body, as a flaky network does."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


HOSTILE_BODIES = ("endless", "gzip_bomb", "not_json")


@functools.cache
def _gzip_bomb() -> bytes:
    """About 1 MB of gzip that inflates to 1 GB of spaces: a valid start of a JSON body."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as f:
        f.write(b"[")
        block = b" " * (1 << 20)
        for _ in range(1024):
            f.write(block)
    return out.getvalue()


def _repo_json(repo: Repo) -> dict:
    return {
        "_id": repo.id.replace("/", "-"),
        "id": repo.id,
        "modelId": repo.id,
        "author": repo.id.split("/")[0],
        "sha": repo.commit,
        "downloads": repo.downloads,
        "likes": repo.likes,
        "tags": repo.tags,
        "private": False,
        "gated": False,
        "disabled": False,
        "library_name": "gguf",
        "lastModified": "2024-09-25T12:00:00.000Z",
        "createdAt": "2024-09-18T12:00:00.000Z",
    }


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    fake = FakeHub().start()
    monkeypatch.setenv("HF_ENDPOINT", fake.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setenv("HF_TOKEN", "")  # never send a developer's real token to the fake
    try:
        yield fake
    finally:
        fake.stop()
