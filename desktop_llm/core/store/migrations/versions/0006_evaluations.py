"""The built-in evaluations' results: one row per model run, one per item done, and the
mark on the task runs an evaluation makes, which keeps them out of the user's history.

conversations.evaluation_run_id is added with ALTER TABLE (a table rebuild would
cascade-delete the messages) and has no foreign key for that reason.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("evaluation_run_id", sa.Integer(), nullable=True))
    op.create_index(
        op.f("ix_conversations_evaluation_run_id"), "conversations", ["evaluation_run_id"]
    )
    op.create_table(
        "evaluation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("model_file", sa.Text(), nullable=False),
        sa.Column("model_sha256", sa.Text(), nullable=False),
        sa.Column("quantization", sa.Text(), nullable=True),
        sa.Column("dataset_version", sa.Text(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("settings_key", sa.Text(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("items_done", sa.Integer(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("joules_per_item", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("threads", sa.Integer(), nullable=False),
        sa.Column("device", sa.Text(), nullable=False),
        sa.Column("meter_source", sa.Text(), nullable=True),
        sa.Column("measured", sa.Boolean(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'complete', 'stopped')",
            name=op.f("ck_evaluation_runs_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_runs")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_evaluation_runs_task_model_sha256", "evaluation_runs", ["task", "model_sha256"]
    )
    op.create_table(
        "evaluation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("joules", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("measured", sa.Boolean(), nullable=True),
        sa.Column("meter_source", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["evaluation_runs.id"],
            name=op.f("fk_evaluation_items_run_id_evaluation_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_evaluation_items_conversation_id_conversations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_items")),
        sa.UniqueConstraint("run_id", "item_id", name=op.f("uq_evaluation_items_run_id")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("evaluation_items")
    op.drop_index("ix_evaluation_runs_task_model_sha256", table_name="evaluation_runs")
    op.drop_table("evaluation_runs")
    op.drop_index(op.f("ix_conversations_evaluation_run_id"), table_name="conversations")
    op.execute("ALTER TABLE conversations DROP COLUMN evaluation_run_id")
