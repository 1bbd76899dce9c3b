"""job leases: the replica holding a job and when it last renewed it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replica", sa.String(length=128), nullable=True))
        batch_op.add_column(
            sa.Column("lease_renewed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("lease_renewed_at")
        batch_op.drop_column("replica")
