"""Remote engines (issue 15): which engine wrote each generation, and figures a remote
server cannot give.

generations.engine: "local" (the llama.cpp child process) or the remote engine's name;
generations.engine_host: the remote's URL host (NULL for local). Rows written before this
migration were all local and get "local".

A remote reply's energy was not measured here: its joules, watts and carbon are NULL (not
0), unless the user gave the server's average power draw (then an estimate from their
figure, labelled so). A server that returns no log-probabilities gives a sentiment label
without probabilities: p_positive/p_negative/p_neutral are NULL, never invented.

energy and sentiment_items are rebuilt (SQLite cannot drop NOT NULL in place): no other
table refers to them, so no cascade can fire. generations gains its columns with ALTER
TABLE: a rebuild would cascade-delete the energy rows.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ENERGY_FIGURES = (
    "joules_gross",
    "joules_net",
    "joules_attributed",
    "watts_avg",
    "baseline_watts",
    "carbon_g",
)
PROBABILITIES = ("p_positive", "p_negative", "p_neutral")


def upgrade() -> None:
    op.add_column(
        "generations", sa.Column("engine", sa.Text(), server_default="local", nullable=False)
    )
    op.add_column("generations", sa.Column("engine_host", sa.Text(), nullable=True))
    with op.batch_alter_table("energy", table_kwargs={"sqlite_autoincrement": True}) as batch:
        for name in ENERGY_FIGURES:
            batch.alter_column(name, existing_type=sa.Float(), nullable=True)
    with op.batch_alter_table(
        "sentiment_items", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        for name in PROBABILITIES:
            batch.alter_column(name, existing_type=sa.Float(), nullable=True)


def downgrade() -> None:
    # The older schema cannot say "unknown": records without figures are removed rather
    # than given invented ones (an older version shows such a reply without a cost).
    op.execute(
        "DELETE FROM energy WHERE " + " OR ".join(f"{name} IS NULL" for name in ENERGY_FIGURES)
    )
    op.execute(
        "DELETE FROM sentiment_items WHERE "
        + " OR ".join(f"{name} IS NULL" for name in PROBABILITIES)
    )
    with op.batch_alter_table(
        "sentiment_items", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        for name in PROBABILITIES:
            batch.alter_column(name, existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table("energy", table_kwargs={"sqlite_autoincrement": True}) as batch:
        for name in ENERGY_FIGURES:
            batch.alter_column(name, existing_type=sa.Float(), nullable=False)
    op.execute("ALTER TABLE generations DROP COLUMN engine_host")
    op.execute("ALTER TABLE generations DROP COLUMN engine")
