"""papers: full-text search over title, authors, abstract and venue (SQLite FTS5, PostgreSQL
tsvector with a GIN index), kept up to date by the database itself

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The same words in both databases; PostgreSQL's expression index serves queries that repeat it.
PG_DOCUMENT = (
    "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(authors::text, '') || ' ' || "
    "coalesce(abstract, '') || ' ' || coalesce(venue, ''))"
)
SQLITE_TRIGGERS = [
    """CREATE TRIGGER papers_search_insert AFTER INSERT ON papers BEGIN
         INSERT INTO papers_search(rowid, title, authors, abstract, venue)
         VALUES (new.id, new.title, new.authors, new.abstract, new.venue);
       END""",
    """CREATE TRIGGER papers_search_delete AFTER DELETE ON papers BEGIN
         INSERT INTO papers_search(papers_search, rowid, title, authors, abstract, venue)
         VALUES ('delete', old.id, old.title, old.authors, old.abstract, old.venue);
       END""",
    """CREATE TRIGGER papers_search_update AFTER UPDATE ON papers BEGIN
         INSERT INTO papers_search(papers_search, rowid, title, authors, abstract, venue)
         VALUES ('delete', old.id, old.title, old.authors, old.abstract, old.venue);
         INSERT INTO papers_search(rowid, title, authors, abstract, venue)
         VALUES (new.id, new.title, new.authors, new.abstract, new.venue);
       END""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE papers_search USING fts5("
            "title, authors, abstract, venue, content='papers', content_rowid='id')"
        )
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO papers_search(papers_search) VALUES ('rebuild')")
    else:
        op.execute(f"CREATE INDEX papers_search ON papers USING gin ({PG_DOCUMENT})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER papers_search_{name}")
        op.execute("DROP TABLE papers_search")
    else:
        op.execute("DROP INDEX papers_search")
