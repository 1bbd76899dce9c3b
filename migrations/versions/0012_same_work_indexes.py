"""papers: indexes for finding the same work (file content, DOI in any case, arXiv id), so a
duplicates lookup or a library page of one entry per work reads no whole table

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_papers_sha256", "papers", ["sha256"])
    op.create_index("ix_papers_arxiv_id", "papers", ["arxiv_id"])
    op.create_index("ix_papers_lower_doi", "papers", [sa.text("lower(doi)")])


def downgrade() -> None:
    op.drop_index("ix_papers_lower_doi", table_name="papers")
    op.drop_index("ix_papers_arxiv_id", table_name="papers")
    op.drop_index("ix_papers_sha256", table_name="papers")
