"""papers: JSON columns rewritten as UTF-8 text (they held ASCII escapes such as \\u00f6), so
that the full-text index of migration 0011 finds authors' names as written

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    connection = op.get_bind()
    papers = sa.table("papers", sa.column("id", sa.Integer), sa.column("authors", sa.Text))
    # Read as text whatever the column's type: only rows that hold an escape are rewritten.
    escaped = sa.select(papers.c.id, sa.cast(papers.c.authors, sa.Text)).where(
        sa.cast(papers.c.authors, sa.Text).like("%\\u%", escape="!")
    )
    rows = connection.execute(escaped).all()
    for first in range(0, len(rows), BATCH):
        for paper_id, authors in rows[first : first + BATCH]:
            text = json.dumps(json.loads(authors), ensure_ascii=False)
            statement = sa.text(
                "UPDATE papers SET authors = :authors WHERE id = :id"
                if connection.dialect.name == "sqlite"
                else "UPDATE papers SET authors = CAST(:authors AS json) WHERE id = :id"
            )
            connection.execute(statement, {"authors": text, "id": paper_id})


def downgrade() -> None:
    """Nothing to undo: UTF-8 JSON text reads the same."""
