"""Opening the SQLite file and bringing its schema up to date."""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000

# How the file is opened: read and written; read only, by SQLite's read-only flag (it then
# refuses every write, root's too), its write-ahead log read with it; or read as a file no
# one changes, when even the log's index (-shm) cannot be made beside it.
Access = Literal["rw", "ro", "immutable"]
_READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)


def _on_connect(dbapi_connection: Any, _connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_read_only_connect(dbapi_connection: Any, _connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA query_only=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def access_for(db_path: Path) -> Access:
    """How db_path can be opened here, found by trying (the operating system's answer, not
    the permission bits: root may write a read-only file, and no one a read-only disk)."""
    folder_writable = _can_create_in(db_path.parent)
    if folder_writable and (not db_path.exists() or _can_open_for_writing(db_path)):
        return "rw"
    if folder_writable:
        return "ro"  # the log's index can be made beside it
    # SQLite reads a WAL database in a read-only folder only when both of its files are there.
    wal, shm = (Path(f"{db_path}{suffix}") for suffix in ("-wal", "-shm"))
    return "ro" if wal.exists() and shm.exists() else "immutable"


def _can_create_in(folder: Path) -> bool:
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
    except OSError as exc:
        if exc.errno in _READ_ONLY_ERRNOS:
            return False
        raise
    os.close(fd)
    os.unlink(probe)
    return True


def _can_open_for_writing(path: Path) -> bool:
    try:
        os.close(os.open(path, os.O_RDWR))  # opened, never written
    except OSError as exc:
        if exc.errno in _READ_ONLY_ERRNOS:
            return False
        raise
    return True


def create_engine(db_path: Path, access: Access = "rw") -> sa.Engine:
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    # Pooled connections move between the GUI thread and worker threads; each is used by
    # one thread at a time.
    if access == "rw":
        url = sa.URL.create("sqlite+pysqlite", database=str(db_path))
        engine = sa.create_engine(url, connect_args=connect_args)
        sa.event.listen(engine, "connect", _on_connect)
        return engine
    uri = f"{Path(db_path).absolute().as_uri()}?{'mode=ro' if access == 'ro' else 'immutable=1'}"
    engine = sa.create_engine(
        "sqlite+pysqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, **connect_args),  # type: ignore[arg-type]
    )
    sa.event.listen(engine, "connect", _on_read_only_connect)
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
