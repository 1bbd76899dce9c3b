"""registry_cache: what Crossref and OpenAlex answered for a DOI, kept across jobs

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("doi", sa.String(length=300), nullable=False),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "doi"),
    )


def downgrade() -> None:
    op.drop_table("registry_cache")
