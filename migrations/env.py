"""Alembic environment: runs against the engine the app hands over, or CATALOGSVC_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from catalogsvc.settings import Settings
from catalogsvc.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from catalogsvc.store.db import create_store_engine, is_ours

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
        context.run_migrations()
    connection.commit()
