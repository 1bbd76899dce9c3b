"""The loop that recovers dead workers' tasks survives losing its database connection (a
PostgreSQL restart ends every session): it reconnects and goes on, and it holds the recovery
lock only inside each round's transaction, so a frozen worker cannot keep it."""

from __future__ import annotations

import asyncio
import contextlib
import time

import procrastinate
from sqlalchemy import create_engine, text

from catalogsvc.jobs.task_queue import queue_connector_options
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.worker import RECOVERY_APPLICATION, RECOVERY_LOCK, recover_stalled_tasks
from tests.postgres_server import PostgresServer

SESSION = text("SELECT pid FROM pg_stat_activity WHERE application_name = :name")
HELD = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :lock")


def recovery_session(url: str) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(SESSION, {"name": RECOVERY_APPLICATION}).scalar()
    finally:
        engine.dispose()


def lock_held(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(connection.execute(HELD, {"lock": RECOVERY_LOCK}).scalar())
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


async def session_other_than(url: str, former: int | None, timeout: float = 15) -> int:
    deadline = time.monotonic() + timeout
    while (pid := await asyncio.to_thread(recovery_session, url)) is None or pid == former:
        assert time.monotonic() < deadline, "the recovery loop has no session"
        await asyncio.sleep(0.05)
    return pid


async def test_recovery_reconnects_after_its_session_ended_and_holds_no_lock_between_rounds(
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
            first = await session_other_than(url, None)
            await asyncio.to_thread(end_session, url, first)
            second = await session_other_than(url, first)
            held = [await asyncio.to_thread(lock_held, url) for _ in range(10)]
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery

    assert second != first
    assert held.count(False) >= 5, "the lock is held only during the short rounds"
