"""A real keyring backend for tests: keyring.backend.KeyringBackend storing its passwords in a
JSON file, so the app's own calls to the keyring package (set, get, delete) run unchanged.

    with file_keyring(tmp_path / "keys.json") as ring:
        ...                      # the app's keyring calls land in the file
        ring.passwords()         # {(service, user): password}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))

    def _write(self, data: dict[str, str]) -> None:
        self.path.write_text(json.dumps(data), encoding="utf-8")

    @staticmethod
    def _key(service: str, username: str) -> str:
        return f"{service}\x00{username}"

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(self._key(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[self._key(service, username)] = password
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.pop(self._key(service, username), None) is None:
            raise PasswordDeleteError(username)
        self._write(data)

    def passwords(self) -> dict[tuple[str, str], str]:
        return {tuple(k.split("\x00", 1)): v for k, v in self._read().items()}  # type: ignore[misc]


@contextmanager
def file_keyring(path: Path) -> Iterator[FileKeyring]:
    """Use a FileKeyring at `path` as the process's keyring, then put back the one before."""
    before = keyring.get_keyring()
    ring = FileKeyring(path)
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)
