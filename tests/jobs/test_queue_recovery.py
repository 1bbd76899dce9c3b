"""The worker that recovers dead workers' tasks survives losing its database connection (a
PostgreSQL restart ends every session): it reconnects and takes the recovery lock again."""

from __future__ import annotations

import asyncio
import contextlib
import time

import procrastinate
from sqlalchemy import create_engine, text

from catalogsvc.jobs.task_queue import queue_connector_options
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.worker import RECOVERY_LOCK, recover_stalled_tasks
from tests.postgres_server import PostgresServer

HOLDER = text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = :lock")


def lock_holder(url: str) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(HOLDER, {"lock": RECOVERY_LOCK}).scalar()
    finally:
        engine.dispose()


def end_session(url: str, pid: int) -> None:
    """What a database restart does to the session: it is terminated."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        engine.dispose()


async def holder_other_than(url: str, former: int | None, timeout: float = 15) -> int:
    deadline = time.monotonic() + timeout
    while (pid := await asyncio.to_thread(lock_holder, url)) is None or pid == former:
        assert time.monotonic() < deadline, "no worker holds the recovery lock"
        await asyncio.sleep(0.05)
    return pid


async def test_recovery_reconnects_and_takes_the_lock_again_after_its_session_ended(
    postgres: PostgresServer,
) -> None:
    url = postgres.new_database()
    engine = await asyncio.to_thread(create_store_engine, url)
    await asyncio.to_thread(upgrade_schema, engine)
    engine.dispose()
    settings = Settings(database_url=url, _env_file=None)
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(**queue_connector_options(url))
    )
    async with app.open_async():
        recovery = asyncio.create_task(recover_stalled_tasks(app, url, settings))
        try:
            first = await holder_other_than(url, None)
            await asyncio.to_thread(end_session, url, first)
            second = await holder_other_than(url, first)
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery

    assert second != first
