"""One process at a time on a file: an advisory lock the operating system releases when its
holder exits, however it exits (flock on POSIX, a byte-range lock on Windows).

Used where two processes on one data folder (the window, the CLI, later the local server)
could otherwise write the same thing: a download's partial file, a writer's liveness record.

A holder may delete the lock file as it lets go (release(remove=True)), so finished work
leaves nothing behind. That is safe because taking a lock checks, once locked, that the path
still names the file it locked; if the last holder removed it meanwhile, it tries again on
the new one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path


class Held(Exception):
    """Another process (or another lock object in this one) holds the lock."""


class FileLock:
    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    def release(self, *, remove: bool = False) -> None:
        if self._fd is None:
            return
        if remove and sys.platform != "win32":
            # Removed while still held, so nobody can lock this file after it is gone.
            self.path.unlink(missing_ok=True)
        os.close(self._fd)  # closing the descriptor drops the lock
        self._fd = None
        if remove and sys.platform == "win32":
            # Another process may have it open: then it is theirs now.
            with contextlib.suppress(PermissionError):
                self.path.unlink(missing_ok=True)

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def try_lock(path: Path) -> FileLock:
    """Take the lock at path now, or raise Held. OSError when the folder is not writable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise Held(str(path)) from None
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            return FileLock(fd, path)
        os.close(fd)  # its last holder removed it as we opened it: lock the new one


def wait_for_lock(path: Path, timeout: float, poll: float = 0.05) -> FileLock:
    """Take the lock at path, waiting up to timeout seconds for its holder; Held after."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return try_lock(path)
        except Held:
            if time.monotonic() >= deadline:
                raise
            time.sleep(poll)


def is_locked(path: Path) -> bool:
    """Whether a live process holds the lock at path (taking it for a moment to find out)."""
    if not path.exists():
        return False
    try:
        lock = try_lock(path)
    except Held:
        return True
    lock.release()
    return False
