"""A damaged database file: set aside (kept, never deleted), what can be read copied into a
fresh file, and a sentence saying what happened and where the old file is.

Damage is what SQLite reports as such: a file that is not a database, a malformed one
(truncated, overwritten), or one whose integrity check fails. Recovery reads the old file
table by table; where a table cannot be read whole, it reads rowid ranges and then single
rows, keeping every row SQLite can still return. Rows whose conversation or message did not
survive are dropped, the search index is rebuilt by the insert triggers.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.store import db

log = logging.getLogger(__name__)

# Parents before children, so the copy can keep what refers to what.
TABLES = (
    "conversations",
    "messages",
    "attachments",
    "generations",
    "energy",
    "energy_baselines",
    "sentiment_items",
    "model_hashes",
)
_DAMAGE_WORDS = ("not a database", "malformed", "disk image", "encrypted", "corrupt")
_CHUNK = 500


def is_damage(error: BaseException) -> bool:
    """Whether an error (SQLAlchemy's or sqlite3's) says the file itself is damaged, not
    merely locked, read-only or missing."""
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.DatabaseError) and any(
        word in str(original).lower() for word in _DAMAGE_WORDS
    )


@dataclass
class Recovery:
    damaged_path: Path  # where the damaged file now is
    recovered: dict[str, int] = field(default_factory=dict)  # rows per table

    @property
    def conversations(self) -> int:
        return self.recovered.get("conversations", 0)

    @property
    def messages(self) -> int:
        return self.recovered.get("messages", 0)

    def note(self) -> str:
        n, m = self.conversations, self.messages
        recovered = translate("Recovery", "%n conversation(s)", None, PLURAL, n)
        messages = translate("Recovery", "%n message(s)", None, PLURAL, m)
        return arg(
            translate(
                "Recovery",
                "The history database was damaged. It was set aside, unchanged, as %1; "
                "%2 with %3 could be read from it and are in a new database.",
            ),
            str(self.damaged_path),
            recovered,
            messages,
        )


def recover(db_path: Path) -> Recovery:
    """Move the damaged db_path aside and make a new one there with what can be read."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}.damaged-{stamp}{db_path.suffix}")
    try:
        os.replace(db_path, aside)
        # The write-ahead log may hold the last committed writes: it goes along, renamed
        # to match, so SQLite still finds it next to the old file.
        for suffix in ("-wal", "-shm"):
            companion = Path(str(db_path) + suffix)
            if companion.exists():
                os.replace(companion, Path(str(aside) + suffix))
    except OSError as exc:
        raise UserError(
            arg(
                translate(
                    "Recovery",
                    "The history database %1 is damaged and could not be set aside: %2.",
                ),
                str(db_path),
                exc.strerror or exc,
            )
        ) from exc
    log.warning("damaged database moved to %s", aside)
    result = Recovery(aside)
    engine = db.create_engine(db_path)
    try:
        db.migrate(engine)
    finally:
        engine.dispose()
    try:
        source = sqlite3.connect(f"file:{aside}?mode=ro", uri=True)
        # Read past a damaged schema (the search index's tables often sit in the lost
        # pages): SQLite then parses what it can instead of refusing every query.
        source.execute("PRAGMA writable_schema=ON")
    except sqlite3.DatabaseError:
        return result
    target = sqlite3.connect(db_path)
    try:
        target.execute("PRAGMA foreign_keys=OFF")
        for table in TABLES:
            result.recovered[table] = _copy_table(source, target, table)
        _drop_orphans(target, result)
        target.commit()
    finally:
        source.close()
        target.close()
    log.warning("recovered from %s: %s", aside, result.recovered)
    return result


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> int:
    wanted = set(_columns(target, table))
    columns = [c for c in _columns(source, table) if c in wanted]
    if not columns:
        return 0
    names = ", ".join(columns)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
    copied = 0
    for row in _readable_rows(source, table, names):
        try:
            target.execute(insert, row)
            copied += 1
        except sqlite3.DatabaseError:
            continue  # a value the new schema refuses (a bad status): the row is lost
    return copied


def _readable_rows(source: sqlite3.Connection, table: str, names: str) -> list[tuple]:
    try:
        return source.execute(f"SELECT {names} FROM {table} ORDER BY rowid").fetchall()
    except sqlite3.DatabaseError:
        pass
    # Part of the table is unreadable: take it in ranges, and row by row where a range fails.
    try:
        last = source.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        last = 100_000
    rows: list[tuple] = []
    query = f"SELECT {names} FROM {table} WHERE rowid BETWEEN ? AND ?"
    for start in range(1, last + 1, _CHUNK):
        try:
            rows += source.execute(query, (start, start + _CHUNK - 1)).fetchall()
            continue
        except sqlite3.DatabaseError:
            pass
        for rowid in range(start, start + _CHUNK):
            try:
                rows += source.execute(query, (rowid, rowid)).fetchall()
            except sqlite3.DatabaseError:
                continue
    return rows


def _drop_orphans(target: sqlite3.Connection, result: Recovery) -> None:
    """Rows whose parent row was lost cannot be shown: they go, and are not counted."""
    while True:
        orphans = target.execute("PRAGMA foreign_key_check").fetchall()
        if not orphans:
            return
        for table, rowid, _parent, _fk in orphans:
            target.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            result.recovered[table] = result.recovered.get(table, 0) - 1
