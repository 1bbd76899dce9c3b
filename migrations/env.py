"""Alembic environment: runs against the engine the app hands over, or CATALOGSVC_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

from catalogsvc.settings import Settings
from catalogsvc.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from catalogsvc.store.db import create_store_engine, is_ours

MIGRATION_LOCK = 0x6361746D  # the advisory lock a migration holds on PostgreSQL

engine = context.config.attributes.get("engine") or create_store_engine(
    Settings().resolved_database_url
)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=is_ours,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # An API and its workers start together: one migrates, the others wait, then
            # find the schema at head.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()
    connection.commit()
