"""Versions and branches of a chat, and files attached to a message.

Messages form a tree: each points to the message it follows (parent_id), so a regenerated
reply is a sibling of the earlier one and an edited message starts a branch beside the
original. The conversation remembers which leaf is shown (current_message_id), and each
message when it was last on screen (shown_at), so going back to a version brings back the
branch as the user left it.

The columns are added with ALTER TABLE rather than by rebuilding the messages table: a
rebuild would drop the full-text triggers and rewrite every message of a large history.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE messages ADD COLUMN parent_id INTEGER"
        " CONSTRAINT fk_messages_parent_id_messages"
        " REFERENCES messages (id) ON DELETE CASCADE"
    )
    op.create_index(op.f("ix_messages_parent_id"), "messages", ["parent_id"], unique=False)
    op.add_column("messages", sa.Column("shown_at", sa.DateTime(), nullable=True))
    op.execute("ALTER TABLE conversations ADD COLUMN current_message_id INTEGER")
    # Every existing conversation is one line: each message follows the one before it.
    # Task parts (intermediate outputs) stay outside the line.
    op.execute(
        """
        UPDATE messages SET parent_id = (
            SELECT MAX(p.id) FROM messages AS p
            WHERE p.conversation_id = messages.conversation_id
              AND p.id < messages.id AND p.part IS NULL
        )
        WHERE part IS NULL
        """
    )
    op.execute(
        """
        UPDATE conversations SET current_message_id = (
            SELECT MAX(m.id) FROM messages AS m
            WHERE m.conversation_id = conversations.id AND m.part IS NULL
        )
        """
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_attachments_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_attachments_message_id"), "attachments", ["message_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attachments_message_id"), table_name="attachments")
    op.drop_table("attachments")
    op.drop_index(op.f("ix_messages_parent_id"), table_name="messages")
    op.execute("ALTER TABLE messages DROP COLUMN shown_at")
    op.execute("ALTER TABLE messages DROP COLUMN parent_id")
    op.execute("ALTER TABLE conversations DROP COLUMN current_message_id")
