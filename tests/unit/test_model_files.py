"""models/files.py: the cached-or-computed sha256 of a model file, and the no-overwrite
install shared by imports and downloads."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from desktop_llm.core.models import Cancelled, model_sha256
from desktop_llm.core.models.files import install_file
from desktop_llm.core.store import Store


class CountingCache:
    """A HashCache in a dict that counts what is looked up and stored."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[int, int, str]] = {}
        self.stored = 0

    def cached_sha256(self, path: str, size: int, mtime_ns: int) -> str | None:
        row = self.rows.get(path)
        return row[2] if row is not None and row[:2] == (size, mtime_ns) else None

    def store_sha256(self, path: str, size: int, mtime_ns: int, sha256: str) -> None:
        self.rows[path] = (size, mtime_ns, sha256)
        self.stored += 1


def test_hashed_once_then_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"model bytes")
    cache = CountingCache()
    assert model_sha256(path, cache) == hashlib.sha256(b"model bytes").hexdigest()
    assert model_sha256(path, cache) == hashlib.sha256(b"model bytes").hexdigest()
    assert cache.stored == 1

    path.write_bytes(b"other bytes!")
    os.utime(path, ns=(1, 1))
    assert model_sha256(path, cache) == hashlib.sha256(b"other bytes!").hexdigest()
    assert cache.stored == 2


def test_a_stale_cache_entry_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"model bytes")
    cache = CountingCache()
    stat = path.stat()
    cache.rows[str(path)] = (stat.st_size, stat.st_mtime_ns + 1, "0" * 64)
    assert model_sha256(path, cache) == hashlib.sha256(b"model bytes").hexdigest()


def test_the_store_is_a_hash_cache(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"model bytes")
    with Store(tmp_path / "db.sqlite3") as store:
        digest = model_sha256(path, store)
        stat = path.stat()
        assert store.cached_sha256(str(path), stat.st_size, stat.st_mtime_ns) == digest


def test_stopping_leaves_nothing_cached(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(bytes(4096))
    cache = CountingCache()
    with pytest.raises(Cancelled):
        model_sha256(path, cache, should_stop=lambda: True)
    assert cache.rows == {}


def test_install_never_overwrites_and_keeps_an_identical_file(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "a.gguf").write_bytes(b"first")
    same = tmp_path / "same.part"
    same.write_bytes(b"first")
    assert install_file(same, models, "a.gguf") == models / "a.gguf"
    assert not same.exists()
    other = tmp_path / "other.part"
    other.write_bytes(b"second")
    assert install_file(other, models, "a.gguf") == models / "a-2.gguf"
    assert (models / "a.gguf").read_bytes() == b"first"
    assert (models / "a-2.gguf").read_bytes() == b"second"
