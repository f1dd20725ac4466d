"""Energy and carbon per generation, and the idle baselines they are net of.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "energy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("measured", sa.Boolean(), nullable=False),
        sa.Column("joules_gross", sa.Float(), nullable=False),
        sa.Column("joules_net", sa.Float(), nullable=False),
        sa.Column("joules_attributed", sa.Float(), nullable=False),
        sa.Column("watts_avg", sa.Float(), nullable=False),
        sa.Column("baseline_watts", sa.Float(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("cpu_share", sa.Float(), nullable=True),
        sa.Column("carbon_g", sa.Float(), nullable=False),
        sa.Column("intensity_g_per_kwh", sa.Float(), nullable=False),
        sa.Column("intensity_source", sa.Text(), nullable=False),
        sa.Column("low_confidence", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("cross_check", sa.JSON(), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["generation_id"],
            ["generations.id"],
            name=op.f("fk_energy_generation_id_generations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy")),
        sa.UniqueConstraint("generation_id", name=op.f("uq_energy_generation_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "energy_baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("watts", sa.Float(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("measured_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy_baselines")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("energy_baselines")
    op.drop_table("energy")
