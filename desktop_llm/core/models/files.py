"""Whole-file operations on model files, shared by the registry, imports and downloads:
their sha256 (computed, or from a cache), moving a finished file into the models folder
without overwriting, and the one rule for which file names the registry lists.

They live here, below all three, so that none of them has to import another for them
(registry -> imports -> download -> registry was an import cycle).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol


class Cancelled(Exception):
    """A long operation (hashing, copying) was stopped because should_stop() returned True."""


def sha256_file(
    path: Path,
    *,
    chunk_size: int = 1 << 20,
    should_stop: Callable[[], bool] | None = None,
) -> str:
    """Hex sha256 of a file, read in chunks. Raises Cancelled as soon as should_stop()
    returns True (it is asked before each chunk). OSError propagates."""
    h = hashlib.sha256()
    buf = bytearray(max(1, chunk_size))
    view = memoryview(buf)
    with Path(path).open("rb", buffering=0) as f:
        while True:
            if should_stop is not None and should_stop():
                raise Cancelled(f"Hashing {Path(path).name} was stopped.")
            n = f.readinto(buf)
            if not n:
                break
            h.update(view[:n])
    return h.hexdigest()


class HashCache(Protocol):
    """Where computed hashes are kept, keyed by path and valid while size and mtime hold
    (the Store's model_hashes table)."""

    def cached_sha256(self, path: str, size: int, mtime_ns: int) -> str | None: ...

    def store_sha256(self, path: str, size: int, mtime_ns: int, sha256: str) -> None: ...


def model_sha256(
    path: Path, cache: HashCache, *, should_stop: Callable[[], bool] | None = None
) -> str:
    """A model file's sha256: the cached one while the file is unchanged (same size and
    mtime), else computed (Cancelled when should_stop() turns true) and cached. The model
    manager and the generation records share this, so a file is hashed once."""
    stat = Path(path).stat()
    cached = cache.cached_sha256(str(path), stat.st_size, stat.st_mtime_ns)
    if cached is None:
        cached = sha256_file(path, should_stop=should_stop)
        cache.store_sha256(str(path), stat.st_size, stat.st_mtime_ns, cached)
    return cached


def same_file_contents(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (False when either cannot be read)."""
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return sha256_file(a) == sha256_file(b)
    except OSError:
        return False


GGUF_SUFFIX = ".gguf"
# macOS writes "._<name>" beside each file it copies to a disk without its own metadata
# (AppleDouble): a few KB of Finder data, never a model.
APPLE_DOUBLE_PREFIX = "._"


def is_model_file_name(name: str) -> bool:
    """Whether the registry lists a file of this name (in a folder it looks in).

    A leading "." does not hide a model: a Hub file named ".x.gguf" is installed as that. The
    app's own files in the models folder never match: partial downloads and their locks and
    sidecars (.part, .part.lock, .part.json) and import copies (.tmp) do not end in .gguf,
    and they sit in hidden folders (.downloads, .importing) that the registry skips anyway.
    """
    return name.lower().endswith(GGUF_SUFFIX) and not name.startswith(APPLE_DOUBLE_PREFIX)


def model_file_name(name: str) -> str:
    """`name` made one the registry lists, so that no installed file goes unlisted."""
    while name.startswith(APPLE_DOUBLE_PREFIX):
        name = name[1:]
    return name if is_model_file_name(name) else name + GGUF_SUFFIX


def install_file(finished: Path, models_dir: Path, name: str) -> Path:
    """Move a finished, verified file (a download's partial, an import's copy) to
    models_dir/name without ever overwriting a file: an identical file already there is
    kept (and `finished` dropped); a different one makes us pick '<stem>-2.gguf'. A name the
    registry would not list is made one it does (model_file_name)."""
    name = model_file_name(name)
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while True:
        target = models_dir / (name if n == 1 else f"{stem}-{n}{suffix}")
        if target.exists() and same_file_contents(finished, target):
            finished.unlink()
            return target
        if not target.exists():
            try:
                os.link(finished, target)  # fails if target appeared meanwhile: never overwrites
            except FileExistsError:
                n += 1
                continue
            except OSError:  # no hard links on this file system
                os.replace(finished, target)
                return target
            finished.unlink()
            return target
        n += 1
