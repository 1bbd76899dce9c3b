"""procrastinate's tables, functions and triggers, in their own PostgreSQL schema

The task queue of the PostgreSQL mode (docs/scale-out-design.md). Its SQL comes from the
installed package, applied with `procrastinate` first on the search path so that nothing lands
in `public` (procrastinate has no schema option). SQLite has no queue: nothing to do.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 04:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

QUEUE_SCHEMA = "procrastinate"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    op.execute(f"CREATE SCHEMA IF NOT EXISTS {QUEUE_SCHEMA}")
    driver = op.get_bind().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT set_config('search_path', %s, true)", (QUEUE_SCHEMA,))
        # Without parameters, psycopg leaves the schema's '%' characters alone.
        cursor.execute(SchemaManager.get_schema())
        cursor.execute("SELECT set_config('search_path', %s, true)", (previous,))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP SCHEMA IF EXISTS {QUEUE_SCHEMA} CASCADE")
