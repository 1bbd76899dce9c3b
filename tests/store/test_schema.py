"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import procrastinate
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine.url import make_url
from sqlmodel import SQLModel

from catalogsvc.store import models  # noqa: F401  (registers the tables)
from catalogsvc.store.db import (
    IDLE_IN_TRANSACTION_MS,
    QUEUE_SCHEMA,
    alembic_config,
    create_store_engine,
    is_ours,
    upgrade_schema,
)
from catalogsvc.store.library import PaperQuery, search_papers
from catalogsvc.store.repository import Store
from tests.postgres_server import PostgresServer


# SQLite's reflection cannot read an expression index (0012's lower(doi)); is_ours leaves it out.
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index ix_papers_lower_doi"
)
def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    try:
        upgrade_schema(engine)
        with engine.connect() as connection:
            # What the models describe; the search index (0011) is outside them (is_ours).
            context = MigrationContext.configure(connection, opts={"include_name": is_ours})
            differences = compare_metadata(context, SQLModel.metadata)
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


def insert_old_job(connection: Connection, status: str, phase: str) -> None:
    """A job `old` as the first schemas knew jobs."""
    connection.execute(
        text(
            "INSERT INTO jobs (id, kind, status, phase, created_at, taxonomy, classifier,"
            " timings, source) VALUES ('old', 'process', :status, :phase,"
            " '2026-11-25 10:00:00', '{}', 'offline', '{}', 'upload')"
        ),
        {"status": status, "phase": phase},
    )


def test_a_job_from_before_leases_survives_the_upgrade_without_a_holder(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    try:
        command.upgrade(alembic_config(engine), "0001")
        with engine.begin() as connection:
            insert_old_job(connection, "running", "extracting")
        upgrade_schema(engine)
        job = Store(engine).get_job("old")
    finally:
        engine.dispose()
    assert job is not None
    assert (job.status, job.replica, job.lease_renewed_at) == ("running", None, None)


def test_names_stored_as_escapes_before_0013_are_found_after_it(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    try:
        command.upgrade(alembic_config(engine), "0012")
        with engine.begin() as connection:
            insert_old_job(connection, "completed", "done")
            connection.execute(
                text(
                    "INSERT INTO papers (job_id, file_name, sha256, title, authors, pages,"
                    " method, warnings, sources) VALUES ('old', 'a.pdf', 'ab', 'Latent features',"
                    " :authors, 1, 'text', '[]', '{}')"
                ),
                {"authors": '["Dilan G\\u00f6r\\u00fcr"]'},
            )
        upgrade_schema(engine)
        found = search_papers(engine, PaperQuery(text="Görür"), None)
    finally:
        engine.dispose()
    assert [paper.authors for paper in found] == [["Dilan Görür"]]


def test_on_postgresql_the_task_queue_lives_in_its_own_schema_and_runs_a_task(
    postgres: PostgresServer,
) -> None:
    """Migration 0004 lays procrastinate's tables in schema `procrastinate` and none in
    `public`; ours still match the models; a task deferred there is run by a worker."""
    url = postgres.new_database()
    engine = create_store_engine(url)
    try:
        upgrade_schema(engine)
        with engine.connect() as connection:
            tables = connection.execute(
                text(
                    "SELECT table_schema, table_name FROM information_schema.tables"
                    " WHERE table_schema IN ('public', 'procrastinate')"
                )
            ).all()
            context = MigrationContext.configure(connection, opts={"include_name": is_ours})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    queue_tables = {name for schema, name in tables if schema == "procrastinate"}
    assert {"procrastinate_jobs", "procrastinate_workers"} <= queue_tables
    assert not [
        name for schema, name in tables if name.startswith("procrastinate") and schema == "public"
    ]
    assert differences == []
    assert asyncio.run(run_one_task(url)) == "succeeded"


async def run_one_task(url: str) -> str:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=conninfo, kwargs={"options": f"-c search_path={QUEUE_SCHEMA}"}
        )
    )
    ran = asyncio.Event()

    @app.task(name="ping")
    async def ping() -> None:
        ran.set()

    async with app.open_async():
        job_id = await ping.defer_async()
        worker = asyncio.create_task(
            app.run_worker_async(install_signal_handlers=False, listen_notify=True)
        )
        await asyncio.wait_for(ran.wait(), timeout=30)
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        status = await app.job_manager.get_job_status_async(job_id)
    return str(status.value)


def test_on_postgresql_a_session_idle_in_a_transaction_is_ended_by_the_server(
    postgres: PostgresServer,
) -> None:
    """A frozen worker (SIGSTOP, a cut network) must not hold its job's row, and so every
    cancel, for longer than IDLE_IN_TRANSACTION_MS."""
    engine = create_store_engine(postgres.new_database())
    try:
        with engine.connect() as connection:
            timeout = connection.execute(text("SHOW idle_in_transaction_session_timeout")).scalar()
    finally:
        engine.dispose()
    assert timeout == f"{IDLE_IN_TRANSACTION_MS // 1000}s"
