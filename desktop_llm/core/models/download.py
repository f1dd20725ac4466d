"""Downloads of GGUF files from the Hub into the models folder: resumable, pausable,
verified.

Layout while a file downloads (never under its real name until it is verified):

    <models>/.downloads/<owner>--<repo>--<filename>.part        the bytes so far
    <models>/.downloads/<owner>--<repo>--<filename>.part.json   sidecar: repo, filename,
                                                                revision, commit, size,
                                                                sha256, etag

The registry skips hidden folders, so a partial never shows up as a model. A new process
finds the sidecars (DownloadQueue.pending_from_disk()) and resumes each with a Range request
from the partial's length, after hashing what is already there (cancellably).

What happens when:
- the connection drops (reset, incomplete body, timeout, refused): retried after
  backoff_base x 1, 2, 4, ... seconds (capped at BACKOFF_CAP), resuming where it stopped;
  MAX_ATTEMPTS failures in a row without a byte of progress fail the download (the partial
  is kept, so trying again resumes).
- not enough disk space: refused before the first byte, naming both numbers.
- the disk fills up while writing (ENOSPC): failed with "The disk is full ...", and the
  partial is KEPT (trimmed to what was written whole) so the download resumes once space
  is freed. The message says so.
- the finished file's sha256 differs from the Hub's LFS sha256: the partial is deleted and
  the download fails with "The downloaded file does not match the Hub's checksum ...".
- the file is not a valid GGUF (read_gguf): deleted, failed with read_gguf's reason.
- the real name is taken by another file: the new one gets '<stem>-2.gguf' (or -3...); an
  identical file already there is kept and the partial dropped.
- pause: the partial and sidecar stay; resume() queues it again. cancel: both are deleted.

Thread-safety: Download.pause/resume/cancel/snapshot may be called from any thread;
Download.run() runs on one worker thread at a time. Cancel and pause return at once and the
worker stops within a fraction of a second even when the server stalls mid-body: the
response's socket is shut down under it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.locks import FileLock, Held, try_lock
from desktop_llm.core.models.files import install_file
from desktop_llm.core.models.gguf_file import format_bytes, read_gguf
from desktop_llm.core.models.hub import (
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    HubClient,
    httpx,
    not_found_error,
    offline_error,
    offline_mode,
)

log = logging.getLogger(__name__)

State = Literal["queued", "running", "paused", "verifying", "done", "failed", "cancelled"]
FINISHED: frozenset[str] = frozenset({"done", "failed", "cancelled"})

DOWNLOADS_DIRNAME = ".downloads"
PART_SUFFIX = ".part"
SIDECAR_SUFFIX = ".part.json"
CHUNK_SIZE = 256 * 1024
MAX_ATTEMPTS = 6  # failures in a row, without progress, before giving up
BACKOFF_CAP = 30.0  # seconds
DISK_MARGIN = 64 * 1024 * 1024  # kept free beyond the file itself
PROGRESS_INTERVAL = 0.1  # seconds between progress notifications
SPEED_WINDOW = 0.5  # seconds per speed sample
SPEED_SMOOTHING = 0.3  # weight of the newest sample

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class _Stop(Exception):
    """Internal: pause() or cancel() was called while running."""


class _Retry(Exception):
    """Internal: a transient failure worth another attempt."""


class DownloadFailed(UserError):
    """A download ended in 'failed'; str() is the message shown to the user."""


@dataclass(frozen=True)
class DownloadSnapshot:
    """What a listener gets: a consistent copy of one download's state."""

    repo: str
    filename: str
    revision: str
    state: State
    bytes_done: int
    total: int | None
    speed: float  # bytes per second, smoothed; 0 when unknown
    eta: float | None  # seconds left, None when unknown
    error: str | None  # the user-facing message when failed
    path: Path | None  # the installed file when done
    download: Download = field(compare=False, repr=False)

    @property
    def fraction(self) -> float | None:
        return self.bytes_done / self.total if self.total else None


Listener = Callable[[DownloadSnapshot], None]


def _slug(repo: str, filename: str) -> str:
    return f"{repo.replace('/', '--')}--{Path(filename).name}"


@dataclass(frozen=True)
class PartialDownload:
    """An interrupted download found on disk (a sidecar and its partial file)."""

    repo: str
    filename: str
    revision: str
    size: int | None
    sha256: str | None
    bytes_on_disk: int
    sidecar: Path


class Download:
    """One file from one repo. Create through DownloadQueue.add() (or directly, then call
    run() on a worker thread)."""

    def __init__(
        self,
        models_dir: Path,
        repo: str,
        filename: str,
        revision: str = "main",
        *,
        hub: HubClient | None = None,
        expected_size: int | None = None,
        expected_sha256: str | None = None,
        sleep: Callable[[float], None] | None = None,
        backoff_base: float = 1.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.models_dir = Path(models_dir)
        self.repo = repo
        self.filename = filename
        self.revision = revision
        self.hub = hub
        self.expected_size = expected_size
        self.expected_sha256 = expected_sha256.lower() if expected_sha256 else None
        self.backoff_base = backoff_base
        self.max_attempts = max_attempts
        self._sleep = sleep
        self._lock = threading.RLock()
        self._wake = threading.Event()  # set by pause/cancel: ends a backoff wait
        self._state: State = "queued"
        self._stop: Literal["pause", "cancel"] | None = None
        self._abort: Callable[[], None] | None = None
        self._owner: FileLock | None = None  # the partial's lock, while run() holds it
        self._bytes_done = 0
        self._total: int | None = expected_size
        self._speed = 0.0
        self._error: str | None = None
        self._path: Path | None = None
        self._commit: str | None = None
        self._listeners: list[Listener] = []
        self._requeue: Callable[[Download], None] | None = None
        self._last_notify = 0.0
        self._speed_mark = (0.0, 0)
        # Worker-thread only: bytes in the partial and their running sha256.
        self._offset = 0
        self._hasher: Any = hashlib.sha256()

    # -- paths ------------------------------------------------------------------------

    @property
    def downloads_dir(self) -> Path:
        return self.models_dir / DOWNLOADS_DIRNAME

    @property
    def part_path(self) -> Path:
        return self.downloads_dir / (_slug(self.repo, self.filename) + PART_SUFFIX)

    @property
    def sidecar_path(self) -> Path:
        return self.downloads_dir / (_slug(self.repo, self.filename) + SIDECAR_SUFFIX)

    # -- state (any thread) -----------------------------------------------------------

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    @property
    def error(self) -> str | None:
        with self._lock:
            return self._error

    @property
    def path(self) -> Path | None:
        """The installed model file, once done."""
        with self._lock:
            return self._path

    def snapshot(self) -> DownloadSnapshot:
        with self._lock:
            left = (self._total - self._bytes_done) if self._total is not None else None
            eta = left / self._speed if left is not None and self._speed > 0 else None
            return DownloadSnapshot(
                self.repo,
                self.filename,
                self.revision,
                self._state,
                self._bytes_done,
                self._total,
                self._speed,
                eta,
                self._error,
                self._path,
                self,
            )

    def add_listener(self, listener: Listener) -> None:
        """listener(snapshot) is called on every state change and at most every
        PROGRESS_INTERVAL seconds with progress, from the thread doing the work."""
        with self._lock:
            self._listeners.append(listener)

    def pause(self) -> None:
        """Stop transferring, keep the partial file. resume() continues later."""
        with self._lock:
            if self._state in ("queued", "running", "verifying"):
                if self._state == "running" or self._state == "verifying":
                    self._request_stop("pause")
                else:
                    self._set_state("paused")

    def resume(self) -> None:
        """Queue a paused (or failed) download again; its queue picks it up."""
        with self._lock:
            if self._state not in ("paused", "failed"):
                return
            self._stop = None
            self._wake.clear()
            self._error = None
            self._set_state("queued")
            requeue = self._requeue
        if requeue is not None:
            requeue(self)

    def cancel(self) -> None:
        """Stop and delete the partial file. Returns at once; the worker follows within
        a fraction of a second."""
        with self._lock:
            if self._state in FINISHED:
                return
            if self._state in ("running", "verifying"):
                self._request_stop("cancel")
                return
            # Not running here: the partial is this object's to delete only if no other
            # process is writing it.
            try:
                owner = try_lock(self.lock_path)
            except (Held, OSError):
                owner = None
            if owner is not None:
                self._discard_partial()
                owner.release(remove=True)
            self._set_state("cancelled")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the download is done, failed, cancelled or paused."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self.state in FINISHED or self.state == "paused":
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    def _request_stop(self, why: Literal["pause", "cancel"]) -> None:
        if self._stop != "cancel":
            self._stop = why
        self._wake.set()
        abort = self._abort
        if abort is not None:
            abort()

    def _set_state(self, state: State, error: str | None = None) -> None:
        with self._lock:
            self._state = state
            if error is not None:
                self._error = error
            if state != "running":
                self._speed = 0.0
        self._notify(force=True)

    def _notify(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_notify < PROGRESS_INTERVAL:
            return
        self._last_notify = now
        snap = self.snapshot()
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(snap)

    def _check_stop(self) -> None:
        with self._lock:
            if self._stop is not None:
                raise _Stop()

    # -- the work (one worker thread) --------------------------------------------------

    def run(self) -> State:
        """Download, verify and install. Blocks; returns the final (or paused) state."""
        with self._lock:
            if self._state in FINISHED or self._state == "paused":
                return self._state
            self._stop = None
            self._wake.clear()
            self._error = None
        # One writer per partial file, across processes: two appending to one .part would
        # install a file that neither of them hashed.
        try:
            self._owner = try_lock(self.lock_path)
        except Held:
            self._set_state("failed", self._held_message())
            return self.state
        except OSError as e:
            self._set_state("failed", self._unwritable_message(e))
            return self.state
        try:
            return self._run_locked()
        finally:
            self._owner.release()
            self._owner = None

    def _run_locked(self) -> State:
        self._set_state("running")
        try:
            self._run()
        except _Stop:
            with self._lock:
                why = self._stop
            if why == "cancel":
                self._discard_partial()
                self._drop_lock_file()
                self._set_state("cancelled")
            else:
                self._set_state("paused")
        except UserError as e:  # DownloadFailed too
            if not self.part_path.exists():
                # No bytes to resume from: the record made when it was queued goes too.
                with contextlib.suppress(OSError):
                    self.sidecar_path.unlink(missing_ok=True)
                self._drop_lock_file()
            self._set_state("failed", str(e))
        except Exception as e:
            # Whatever else goes wrong (a redirect loop, a bug) ends the download in words;
            # a thread that died here would leave its caller waiting forever.
            log.exception("download of %s/%s failed", self.repo, self.filename)
            self._set_state(
                "failed",
                arg(
                    translate("Downloads", "The download of %1 failed: %2"),
                    self.filename,
                    _describe(e),
                ),
            )
        finally:
            with self._lock:
                self._abort = None
        return self.state

    @property
    def lock_path(self) -> Path:
        return self.part_path.with_name(self.part_path.name + ".lock")

    def _held_message(self) -> str:
        return arg(
            translate(
                "Downloads",
                "%1 is already being downloaded by another window or command of this app. "
                "Its progress is kept there; try again once it has finished.",
            ),
            self.filename,
        )

    def _unwritable_message(self, error: OSError) -> str:
        return arg(
            translate("Downloads", "%1 could not be written to %2: %3."),
            self.filename,
            self.downloads_dir,
            error.strerror or error,
        )

    def _run(self) -> None:
        if offline_mode():
            raise offline_error()
        self.downloads_dir.mkdir(parents=True, exist_ok=True)
        self._resolve_expected()
        offset = self._prepare_partial()
        self._check_disk(offset)
        self._write_sidecar(etag=None)
        self._hasher = self._hash_existing(offset)
        self._offset = offset
        self._transfer()
        self._set_state("verifying")
        self._verify(self._hasher)
        self._install()

    def _resolve_expected(self) -> None:
        if self.expected_size is not None and self.expected_sha256 is not None:
            return
        hub = self.hub or HubClient()
        info = hub.file(self.repo, self.filename, self.revision)
        with self._lock:
            self.expected_size = info.size
            self.expected_sha256 = info.sha256
            self._commit = info.commit
            self._total = info.size

    def _prepare_partial(self) -> int:
        """Bytes of a usable partial (0 when none, or when its sidecar does not match)."""
        side = read_sidecar(self.sidecar_path)
        part = self.part_path
        matches = (
            side is not None
            and side.get("repo") == self.repo
            and side.get("filename") == self.filename
            and side.get("sha256") == self.expected_sha256
            and side.get("size") == self.expected_size
        )
        if not matches:
            self._discard_partial()
            return 0
        try:
            offset = part.stat().st_size
        except FileNotFoundError:
            return 0
        if self.expected_size is not None and offset > self.expected_size:
            self._discard_partial()
            return 0
        return offset

    def _check_disk(self, offset: int) -> None:
        if self.expected_size is None:
            return
        remaining = max(0, self.expected_size - offset)
        free = shutil.disk_usage(self.downloads_dir).free
        if remaining + DISK_MARGIN > free:
            raise DownloadFailed(
                arg(
                    translate(
                        "Downloads",
                        "Not enough free disk space for %1: it needs %2 more (plus %3 to spare), "
                        "and %4 has %5 free.",
                    ),
                    self.filename,
                    format_bytes(remaining),
                    format_bytes(DISK_MARGIN),
                    self.models_dir,
                    format_bytes(free),
                )
            )

    def _write_sidecar(self, etag: str | None) -> None:
        data = {
            "repo": self.repo,
            "filename": self.filename,
            "revision": self.revision,
            "commit": self._commit,
            "size": self.expected_size,
            "sha256": self.expected_sha256,
            "etag": etag,
        }
        tmp = self.sidecar_path.with_name(self.sidecar_path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, allow_nan=False), encoding="utf-8")
        os.replace(tmp, self.sidecar_path)

    def _hash_existing(self, offset: int) -> Any:
        """sha256 of the partial's first offset bytes, checking for stop between chunks."""
        hasher = hashlib.sha256()
        with self._lock:
            self._bytes_done = offset  # the bytes are there: progress must not jump back
        if offset == 0:
            return hasher
        with self.part_path.open("rb") as f:
            left = offset
            while left > 0:
                self._check_stop()
                block = f.read(min(CHUNK_SIZE * 4, left))
                if not block:
                    break
                hasher.update(block)
                left -= len(block)
                self._notify()
        return hasher

    def _transfer(self) -> None:
        """GET attempts until the whole file is in the partial; self._offset and
        self._hasher always describe what the partial holds, whatever fails."""
        failures = 0
        with self._lock:
            self._bytes_done = self._offset
            self._speed_mark = (time.monotonic(), self._offset)
        timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
        with httpx.Client(follow_redirects=True, timeout=timeout) as client:
            while True:
                self._check_stop()
                before = self._offset
                try:
                    self._attempt(client)
                    return
                except _Retry as e:
                    self._check_stop()
                    failures = 0 if self._offset > before else failures + 1
                    if failures >= self.max_attempts:
                        raise DownloadFailed(
                            arg(
                                translate(
                                    "Downloads",
                                    "The download of %1 kept failing (%2). What was "
                                    "downloaded is kept: try again to resume.",
                                ),
                                self.filename,
                                e,
                            )
                        ) from None
                    self._backoff(failures)

    def _backoff(self, failures: int) -> None:
        delay = min(BACKOFF_CAP, self.backoff_base * 2 ** max(0, failures - 1))
        if self._sleep is not None:
            self._sleep(delay)
        else:
            self._wake.wait(delay)
        self._check_stop()

    def _attempt(self, client: Any) -> None:
        """One GET from self._offset to the end; _Retry when it ends early."""
        offset = self._offset
        hub = self.hub or HubClient()
        url = hub.file_url(self.repo, self.filename, self.revision)
        headers = hub.headers()
        headers["Accept-Encoding"] = "identity"
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            with client.stream("GET", url, headers=headers) as r:
                self._arm_abort(r)
                if r.status_code == 416 and offset and offset == self.expected_size:
                    return
                if r.status_code == 404:
                    self._discard_partial()
                    raise not_found_error(f"{self.repo}/{self.filename}")
                if r.status_code in (408, 429) or r.status_code >= 500:
                    raise _Retry(
                        arg(translate("Downloads", "the server answered HTTP %1"), r.status_code)
                    )
                if r.status_code not in (200, 206):
                    raise DownloadFailed(
                        arg(
                            translate("Downloads", "The Hub refused the download of %1 (HTTP %2)."),
                            self.filename,
                            r.status_code,
                        )
                    )
                linked = _linked_sha256(r)
                if linked and self.expected_sha256 and linked != self.expected_sha256:
                    # The file changed on the Hub since the partial was started.
                    self.expected_sha256 = linked
                    offset = self._restart()
                    self._write_sidecar(etag=linked)
                    if r.status_code == 206:
                        raise _Retry(
                            translate("Downloads", "the file changed on the Hub; starting again")
                        )
                if offset and r.status_code == 200:
                    offset = self._restart()  # the server ignored the Range
                if r.status_code == 206 and not _range_starts_at(r, offset):
                    offset = self._restart()
                    raise _Retry(
                        translate("Downloads", "the server sent the wrong part of the file")
                    )
                if self.expected_size is None:
                    length = r.headers.get("Content-Length")
                    if length and length.isdigit():
                        self.expected_size = offset + int(length)
                        with self._lock:
                            self._total = self.expected_size
                if self.expected_size is None:
                    # Nothing would bound the body: a broken or hostile server could fill
                    # the disk with it.
                    raise DownloadFailed(
                        arg(
                            translate(
                                "Downloads",
                                "The server does not say how large %1 is, so it is not "
                                "downloaded: an endless file could fill the disk.",
                            ),
                            self.filename,
                        )
                    )
                self._stream_body(r)
                offset = self._offset
        except _Stop:
            raise
        except httpx.TooManyRedirects:
            raise DownloadFailed(
                arg(
                    translate(
                        "Downloads",
                        "The server's address for %1 redirects in a loop, so it cannot be "
                        "downloaded. Check the Hub address in Settings.",
                    ),
                    self.filename,
                )
            ) from None
        except (httpx.TransportError, ConnectionError, TimeoutError) as e:
            self._check_stop()
            raise _Retry(_describe(e)) from None
        finally:
            with self._lock:
                self._abort = None
        if self.expected_size is not None and offset < self.expected_size:
            raise _Retry(translate("Downloads", "the connection closed early"))

    def _arm_abort(self, response: Any) -> None:
        """Let pause/cancel cut this response's socket from another thread."""
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None

        def abort() -> None:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        with self._lock:
            self._abort = abort
            stop = self._stop
        if stop is not None:
            abort()
            raise _Stop()

    def _restart(self) -> int:
        with contextlib.suppress(FileNotFoundError):
            self.part_path.unlink()
        self._offset, self._hasher = 0, hashlib.sha256()
        with self._lock:
            self._bytes_done = 0
            self._speed_mark = (time.monotonic(), 0)
        return 0

    def _stream_body(self, r: Any) -> None:
        offset, hasher = self._offset, self._hasher
        with self.part_path.open("ab", buffering=0) as f:
            try:
                for block in r.iter_raw(CHUNK_SIZE):
                    self._check_stop()
                    if self.expected_size is not None and offset + len(block) > self.expected_size:
                        block = block[: self.expected_size - offset]
                    _write_all(f, block)
                    hasher.update(block)
                    offset += len(block)
                    self._offset = offset
                    self._progress(offset)
                    if self.expected_size is not None and offset >= self.expected_size:
                        break
            except OSError as e:
                if isinstance(e, httpx.TransportError):  # pragma: no cover (not OSError)
                    raise
                if e.errno in (errno.ENOSPC, errno.EDQUOT):
                    # Keep only what was written whole and hashed, so a resume is exact.
                    with contextlib.suppress(OSError):
                        os.truncate(self.part_path, offset)
                    raise DownloadFailed(
                        arg(
                            translate(
                                "Downloads",
                                "The disk is full: %1 could not be written to %2. What was "
                                "downloaded (%3) is kept; free some space and resume.",
                            ),
                            self.filename,
                            self.downloads_dir,
                            format_bytes(offset),
                        )
                    ) from None
                raise DownloadFailed(
                    arg(
                        translate("Downloads", "%1 could not be written to %2: %3."),
                        self.filename,
                        self.downloads_dir,
                        e.strerror or e,
                    )
                ) from None

    def _progress(self, done: int) -> None:
        now = time.monotonic()
        with self._lock:
            self._bytes_done = done
            t0, b0 = self._speed_mark
            if now - t0 >= SPEED_WINDOW:
                sample = (done - b0) / (now - t0)
                self._speed = (
                    sample
                    if self._speed == 0
                    else SPEED_SMOOTHING * sample + (1 - SPEED_SMOOTHING) * self._speed
                )
                self._speed_mark = (now, done)
        self._notify()

    def _verify(self, hasher: Any) -> None:
        got = hasher.hexdigest()
        want = self.expected_sha256
        if want and got != want:
            self._discard_partial()
            raise DownloadFailed(
                arg(
                    translate(
                        "Downloads",
                        "The downloaded file does not match the Hub's checksum (expected sha256 "
                        "%1…, got %2…), so it was deleted. Try the download again.",
                    ),
                    want[:12],
                    got[:12],
                )
            )
        try:
            read_gguf(self.part_path)
        except BadModelFile as e:
            self._discard_partial()
            reason = str(e).replace(self.part_path.name, self.filename)
            raise DownloadFailed(
                arg(
                    translate(
                        "Downloads",
                        "The downloaded file is not a usable GGUF model, so it was deleted: %1",
                    ),
                    reason,
                )
            ) from None

    def _install(self) -> None:
        self._check_stop()
        final = install_file(self.part_path, self.models_dir, Path(self.filename).name)
        with contextlib.suppress(FileNotFoundError):
            self.sidecar_path.unlink()
        self._drop_lock_file()
        with self._lock:
            self._path = final
            self._bytes_done = self.expected_size or self._bytes_done
        self._set_state("done")

    def _discard_partial(self) -> None:
        for p in (self.part_path, self.sidecar_path):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()

    def _drop_lock_file(self) -> None:
        """The download ended with nothing left to resume: the lock file goes too, while still
        held, before anyone is told (locks.py says why that is safe). Never earlier: another
        process could then lock a new file while this one still writes."""
        if self._owner is not None:
            with contextlib.suppress(OSError):
                self.lock_path.unlink()


def _write_all(f: Any, block: bytes) -> None:
    view = memoryview(block)
    while view:
        n = f.write(view)
        if not n:
            raise OSError(errno.EIO, "write returned nothing")
        view = view[n:]


def _linked_sha256(r: Any) -> str | None:
    """The LFS sha256 the Hub put in X-Linked-Etag (or ETag) of this response or of the
    redirect that led to it; None when it does not look like one."""
    for resp in (*r.history, r):
        for key in ("X-Linked-Etag", "ETag"):
            value = (resp.headers.get(key) or "").removeprefix("W/").strip('"').lower()
            if _HEX64.match(value):
                return value
    return None


def _range_starts_at(r: Any, offset: int) -> bool:
    m = re.match(r"bytes (\d+)-", r.headers.get("Content-Range", ""))
    return m is not None and int(m.group(1)) == offset


def _describe(e: BaseException) -> str:
    if isinstance(e, httpx.TimeoutException):
        return translate("Downloads", "the connection timed out")
    if isinstance(e, httpx.ConnectError):
        return translate("Downloads", "cannot connect to the Hub")
    return translate("Downloads", "the connection was interrupted")


def read_sidecar(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class DownloadQueue:
    """Downloads run in the order added, max_parallel at a time, on worker threads the
    queue owns. Listeners get every download's snapshots, from those worker threads (the
    Qt layer marshals them to the GUI thread). All methods are thread-safe; close() stops
    the workers (pausing what runs, so partials resume next time) and joins them."""

    def __init__(
        self,
        models_dir: Path,
        hub: HubClient | None = None,
        max_parallel: int = 1,
        *,
        sleep: Callable[[float], None] | None = None,
        backoff_base: float = 1.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.models_dir = Path(models_dir)
        self.hub = hub
        self.max_parallel = max(1, max_parallel)
        self._options = {"sleep": sleep, "backoff_base": backoff_base, "max_attempts": max_attempts}
        self._cond = threading.Condition()
        self._waiting: deque[Download] = deque()
        self._all: list[Download] = []
        self._listeners: list[Listener] = []
        self._workers: list[threading.Thread] = []
        self._closed = False

    def add_listener(self, listener: Listener) -> None:
        with self._cond:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._cond:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def downloads(self) -> list[Download]:
        with self._cond:
            return list(self._all)

    def add(
        self,
        repo: str,
        filename: str,
        revision: str = "main",
        *,
        expected_size: int | None = None,
        expected_sha256: str | None = None,
    ) -> Download:
        """Queue a file. The same repo/filename while it is still active returns the
        existing Download (resumed if it was paused)."""
        with self._cond:
            if self._closed:
                raise UserError(translate("Downloads", "The download queue is closed."))
            for d in self._all:
                if d.repo == repo and d.filename == filename and d.state not in FINISHED:
                    existing = d
                    break
            else:
                existing = None
        if existing is not None:
            existing.resume()
            return existing
        d = Download(
            self.models_dir,
            repo,
            filename,
            revision,
            hub=self.hub,
            expected_size=expected_size,
            expected_sha256=expected_sha256,
            **self._options,
        )
        d.add_listener(self._relay)
        d._requeue = self._enqueue
        if not d.sidecar_path.exists():
            # Recorded now, so a download still waiting its turn when the app quits is
            # found by pending_from_disk() at the next start. An existing sidecar (a partial
            # being resumed) is kept as it is: it holds the size and hash the bytes match.
            with contextlib.suppress(OSError):  # an unwritable folder fails later, in words
                d.downloads_dir.mkdir(parents=True, exist_ok=True)
                d._write_sidecar(etag=None)
        with self._cond:
            self._all.append(d)
        # Told before a worker can pick it up, so listeners always see "queued" first.
        d._notify(force=True)
        self._enqueue(d)
        return d

    def pending_from_disk(self) -> list[PartialDownload]:
        """Interrupted downloads left in <models>/.downloads (by an earlier run)."""
        out = []
        folder = self.models_dir / DOWNLOADS_DIRNAME
        for side in sorted(folder.glob("*" + SIDECAR_SUFFIX)):
            data = read_sidecar(side)
            if not data or not data.get("repo") or not data.get("filename"):
                continue
            part = side.with_name(side.name[: -len(".json")])
            try:
                on_disk = part.stat().st_size
            except OSError:
                on_disk = 0
            out.append(
                PartialDownload(
                    repo=str(data["repo"]),
                    filename=str(data["filename"]),
                    revision=str(data.get("revision") or "main"),
                    size=data.get("size") if isinstance(data.get("size"), int) else None,
                    sha256=data.get("sha256") if isinstance(data.get("sha256"), str) else None,
                    bytes_on_disk=on_disk,
                    sidecar=side,
                )
            )
        return out

    def resume_pending(self) -> list[Download]:
        """Queue every interrupted download found on disk."""
        return [
            self.add(p.repo, p.filename, p.revision, expected_size=p.size, expected_sha256=p.sha256)
            for p in self.pending_from_disk()
        ]

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no download is queued or running (for the CLI and tests)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._cond:
                busy = any(d.state in ("queued", "running", "verifying") for d in self._all)
            if not busy:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    def close(self, timeout: float = 5.0) -> None:
        """Pause what runs (partials kept), stop the workers and join them."""
        with self._cond:
            self._closed = True
            active = list(self._all)
            self._waiting.clear()
            self._cond.notify_all()
            workers = list(self._workers)
        for d in active:
            d.pause()
        for w in workers:
            w.join(timeout)

    # -- internals --------------------------------------------------------------------

    def _relay(self, snap: DownloadSnapshot) -> None:
        with self._cond:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(snap)

    def _enqueue(self, d: Download) -> None:
        with self._cond:
            closed = self._closed
            if not closed:
                self._waiting.append(d)
                alive = [w for w in self._workers if w.is_alive()]
                self._workers = alive
                if len(alive) < self.max_parallel:
                    w = threading.Thread(
                        target=self._work, name=f"download-{len(alive) + 1}", daemon=True
                    )
                    self._workers.append(w)
                    w.start()
                self._cond.notify()
        if closed:
            d._set_state("paused")  # never left "queued" with nobody to run it

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    # Idle workers exit after a while; _enqueue starts new ones.
                    if not self._cond.wait(timeout=2.0) and not self._waiting:
                        self._workers.remove(threading.current_thread())
                        return
                if self._closed:
                    return
                d = self._waiting.popleft()
            if d.state == "queued":
                d.run()
