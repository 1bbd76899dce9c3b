"""papers: where the paper was published (venue, volume, issue, page range, publisher, ISSN,
type) and where each field came from (sources)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TEXT_COLUMNS = ("venue", "volume", "issue", "page_range", "publisher", "issn")


def upgrade() -> None:
    with op.batch_alter_table("papers", schema=None) as batch_op:
        for name in TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(), nullable=True))
        batch_op.add_column(sa.Column("type", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("sources", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("papers", schema=None) as batch_op:
        for name in (*TEXT_COLUMNS, "type", "sources"):
            batch_op.drop_column(name)
