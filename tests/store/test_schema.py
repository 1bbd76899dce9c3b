"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from catalogsvc.store import models  # noqa: F401  (registers the tables)
from catalogsvc.store.db import alembic_config, create_store_engine, upgrade_schema
from catalogsvc.store.repository import Store


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
            current = MigrationContext.configure(connection).get_current_revision()
        assert current == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    finally:
        engine.dispose()


def test_a_job_from_before_leases_survives_the_upgrade_without_a_holder(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    try:
        command.upgrade(alembic_config(engine), "0001")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO jobs (id, kind, status, phase, created_at, taxonomy, classifier,"
                    " timings, source) VALUES ('old', 'process', 'running', 'extracting',"
                    " '2026-11-25 10:00:00', '{}', 'offline', '{}', 'upload')"
                )
            )
        upgrade_schema(engine)
        job = Store(engine).get_job("old")
    finally:
        engine.dispose()
    assert job is not None
    assert (job.status, job.replica, job.lease_renewed_at) == ("running", None, None)
