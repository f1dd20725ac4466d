"""How busy the machine was with other work during each metered reply.

energy.other_cpu_share: other programs' CPU time over the window's capacity (wall time ×
logical CPUs), 0..1; energy.contended: whether that passed the threshold past which figures
are not comparable with a quiet machine's (core/energy/contention.py). Rows written before
this migration keep NULL in both: unknown, never guessed.

Revision ID: 0007
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("energy", sa.Column("other_cpu_share", sa.Float(), nullable=True))
    op.add_column("energy", sa.Column("contended", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE energy DROP COLUMN contended")
    op.execute("ALTER TABLE energy DROP COLUMN other_cpu_share")
