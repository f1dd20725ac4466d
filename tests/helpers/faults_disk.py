"""Real disk faults without mounting anything (tests run as root, so chmod binds nothing):

- a full database: SQLite's own `PRAGMA max_page_count` on every connection of a Store, so
  a write that needs a new page fails with "database or disk is full" (SQLITE_FULL);
- a file size limit: RLIMIT_FSIZE in a child process, so any write past it fails with
  EFBIG (Python ignores SIGXFSZ), the log file's and the database's alike;
- a full log: the log file a symlink to /dev/full (every write: ENOSPC);
- a folder that cannot be created: a path whose parent is a regular file.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from desktop_llm.core.store import Store


def fill_database(store: Store) -> None:
    """No page can be added to the store's file any more (its connections reopened)."""
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()

    def cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    sa.event.listen(store.engine, "connect", cap)
    store.engine.dispose()  # every later connection is a capped one


def file_size_limit(nbytes: int) -> Callable[[], None]:
    """A preexec_fn: the child (and what it spawns) cannot grow a file past nbytes."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))

    return limit


def run_cli(
    home: Path,
    *args: str,
    stdin: str | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`desktop-llm ARGS` in a real process over the data folder `home`."""
    env = {**os.environ, "DESKTOP_LLM_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        env=env, input=stdin, capture_output=True, text=True, timeout=300,
        preexec_fn=preexec_fn,
    )  # fmt: skip
