"""Which process writes each reply, and one search-index trigger per update.

Several processes may use one data folder (the window, the CLI, later the local server).
A reply still 'streaming' belongs to the process that writes it (messages.writer, the
writer's id; its liveness is a lock file the process holds, see Store). Another process
starting up marks it interrupted only once that writer is gone.

The search index's two update triggers (one deleting the old text, one inserting the new)
become one trigger that does both in that order: with two, the order they fire in is not
SQLite's promise. The index is rebuilt, so one damaged before is sound again.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UPDATE_TRIGGER = """
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content)
    SELECT 'delete', old.id, old.content WHERE old.status != 'streaming';
    INSERT INTO messages_fts(rowid, content)
    SELECT new.id, new.content WHERE new.status != 'streaming';
END
"""


def upgrade() -> None:
    op.add_column("messages", sa.Column("writer", sa.Text(), nullable=True))
    op.execute("DROP TRIGGER IF EXISTS messages_fts_update_old")
    op.execute("DROP TRIGGER IF EXISTS messages_fts_update_new")
    op.execute(UPDATE_TRIGGER)
    # Rebuilding indexes every row; replies still streaming are not indexed (see 0001).
    op.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
    op.execute(
        "INSERT INTO messages_fts(messages_fts, rowid, content)"
        " SELECT 'delete', id, content FROM messages WHERE status = 'streaming'"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS messages_fts_update")
    op.execute(
        """
        CREATE TRIGGER messages_fts_update_old AFTER UPDATE OF content, status ON messages
        WHEN old.status != 'streaming' BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content)
            VALUES ('delete', old.id, old.content);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER messages_fts_update_new AFTER UPDATE OF content, status ON messages
        WHEN new.status != 'streaming' BEGIN
            INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
        END
        """
    )
    op.execute("ALTER TABLE messages DROP COLUMN writer")
