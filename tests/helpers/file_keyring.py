"""A real keyring backend for tests: passwords kept in a JSON file under the test's tmp folder.

The app keeps remote engines' API keys in the operating system's keyring through the `keyring`
package; a test must not touch the user's real one (nor can a CI machine offer one). This is a
`keyring.backend.KeyringBackend` like the system ones, selected the way keyring selects any
backend: in a child process by the environment,

    PYTHON_KEYRING_BACKEND=tests.helpers.file_keyring.FileKeyring
    DESKTOP_LLM_TEST_KEYRING=/tmp/.../keyring.json

(see `environment()`), or in this process with `with file_keyring(path) as ring:`. It
is viable only where that variable is set, so merely importing it changes no process's keyring.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

BACKEND = f"{__name__}.FileKeyring"
PATH_VARIABLE = "DESKTOP_LLM_TEST_KEYRING"


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        """Viable only where a test named its file: keyring considers every backend class
        that was imported, and this one must never become a process's keyring by chance."""
        if not os.environ.get(PATH_VARIABLE):
            raise RuntimeError(f"{PATH_VARIABLE} is not set")
        return 1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        found = path or os.environ.get(PATH_VARIABLE)
        if not found:
            raise RuntimeError(f"{PATH_VARIABLE} names no file for the test keyring")
        self.path = Path(found)

    def entries(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write(self, entries: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries), encoding="utf-8")
        temporary.replace(self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self.entries()
        entries.setdefault(service, {})[username] = password
        self._write(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self.entries()
        if username not in entries.get(service, {}):
            raise PasswordDeleteError(f"no password for {username} in {service}")
        del entries[service][username]
        self._write(entries)

    def passwords(self) -> dict[tuple[str, str], str]:
        """Every kept password by (service, user)."""
        return {
            (service, user): password
            for service, users in self.entries().items()
            for user, password in users.items()
        }


@contextmanager
def file_keyring(path: Path) -> Iterator[FileKeyring]:
    """A FileKeyring at `path` as this process's keyring, then the one before it again."""
    before = keyring.get_keyring()
    ring = FileKeyring(path)
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


def environment(path: Path) -> dict[str, str]:
    """What a child process's environment needs to keep its keys in `path`."""
    return {"PYTHON_KEYRING_BACKEND": BACKEND, PATH_VARIABLE: str(path)}


# The backend keyring falls back to when none works: a command that needs a keyring fails.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
