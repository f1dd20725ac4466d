"""Tasks besides chat: options per run, intermediate parts, sentiment results.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("options", sa.JSON(), nullable=True))
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("part", sa.Text(), nullable=True))
    op.create_table(
        "sentiment_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("p_positive", sa.Float(), nullable=False),
        sa.Column("p_negative", sa.Float(), nullable=False),
        sa.Column("p_neutral", sa.Float(), nullable=False),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_sentiment_items_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentiment_items")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_sentiment_items_conversation_id"), "sentiment_items", ["conversation_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sentiment_items_conversation_id"), table_name="sentiment_items")
    op.drop_table("sentiment_items")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("part")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("options")
