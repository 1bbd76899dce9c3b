"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from catalogsvc.store import models  # noqa: F401  (registers the tables)
from catalogsvc.store.db import create_store_engine, upgrade_schema


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    try:
        upgrade_schema(engine)
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), SQLModel.metadata
            )
    finally:
        engine.dispose()
    assert differences == []


def test_upgrading_twice_is_harmless(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    try:
        upgrade_schema(engine)
        upgrade_schema(engine)
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == "0001"
    finally:
        engine.dispose()
