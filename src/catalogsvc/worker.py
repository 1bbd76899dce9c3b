"""`catalogsvc worker`: runs the task queue's tasks on this machine (PostgreSQL), as many
machines as reach the database, the data folder and the allowed roots; `serve` runs one too
with CATALOGSVC_SERVE_WORKS=true. Aborts arrive through LISTEN/NOTIFY; one worker at a time
(an advisory lock) puts the tasks of dead workers back in the queue.
Design: docs/scale-out-design.md."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import procrastinate
import psycopg
from procrastinate.exceptions import ConnectorException

from catalogsvc.errors import InvalidInput
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.extraction.pool import ExtractFn
from catalogsvc.jobs.task_queue import (
    QUEUE,
    TaskQueue,
    load_queue_time_zone,
    queue_connector_options,
)
from catalogsvc.parts import Parts, open_parts
from catalogsvc.pipeline.queue_tasks import QueueTasks
from catalogsvc.settings import Settings

log = logging.getLogger("catalogsvc.worker")

RECOVERY_LOCK = 0x63617461  # the advisory lock of the one worker that recovers stalled tasks
RECOVERY_INTERVAL_S = 0.5
RECOVERY_APPLICATION = "catalogsvc-recovery"  # its sessions, as pg_stat_activity names them
ABORT_POLL_S = 0.5  # the backstop of LISTEN/NOTIFY while its connection reconnects
FETCH_POLL_S = 1.0


async def run_worker(settings: Settings, *, extract: ExtractFn = extract_paper) -> None:
    """Run tasks until cancelled (SIGINT or SIGTERM: procrastinate drains, then stops)."""
    if not settings.queue_enabled:
        raise InvalidInput(
            "catalogsvc worker needs a PostgreSQL CATALOGSVC_DATABASE_URL (and the task "
            "queue not turned off with CATALOGSVC_TASK_QUEUE=false)",
            field="database_url",
        )
    async with open_parts(settings, extract=extract) as parts:
        await work_on_queue(parts, install_signal_handlers=True)


class QuietCancels(logging.Filter):
    """procrastinate logs a task that was cancelled (an abort, a worker stopping) with its
    CancelledError traceback; its line "Aborted, to retry" says all there is to say."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError):
            record.exc_info = None
        return True


QUIET_CANCELS = QuietCancels()


async def work_on_queue(parts: Parts, *, install_signal_handlers: bool) -> None:
    """Run queue tasks on these parts until cancelled; a process that handles its own
    signals (serve, under uvicorn) passes install_signal_handlers=False."""
    settings = parts.settings
    url = settings.resolved_database_url
    logging.getLogger("procrastinate.worker").addFilter(QUIET_CANCELS)
    connector = procrastinate.PsycopgConnector(**queue_connector_options(url))
    app = procrastinate.App(connector=connector)
    QueueTasks(parts, TaskQueue(url, settings.queue_batch_size)).register(app)
    async with app.open_async():
        recovery = asyncio.create_task(recover_stalled_tasks(app, url, settings))
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                name=parts.replica.name,
                concurrency=settings.worker_concurrency,
                install_signal_handlers=install_signal_handlers,
                listen_notify=True,
                abort_job_polling_interval=ABORT_POLL_S,
                # procrastinate's listener does not come back after a database restart:
                # new tasks are then found by this poll.
                fetch_job_polling_interval=FETCH_POLL_S,
                update_heartbeat_interval=settings.worker_heartbeat_s,
                stalled_worker_timeout=settings.worker_stall_s,
                # A draining worker stops its heartbeat (procrastinate #1585): it must stop
                # before it looks dead, or its tasks run twice.
                shutdown_graceful_timeout=max(
                    0.0, settings.worker_stall_s - 2 * settings.worker_heartbeat_s
                ),
                delete_jobs="successful",
            )
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery


async def recover_stalled_tasks(app: procrastinate.App, url: str, settings: Settings) -> None:
    """Put back in the queue every task whose worker stopped its heartbeat for
    WORKER_STALL_S, and wake the workers for it, in the rounds this worker takes the
    recovery lock; a lost database connection (a restart) is opened again."""
    while True:
        try:
            await _recover_while_connected(app, url, settings)
        except (psycopg.Error, ConnectorException, OSError) as error:
            log.warning("recovering dead workers' tasks: database connection lost (%s)", error)
        except Exception:  # recovery must outlive any one failure, or dead workers' tasks stay
            log.exception("recovering dead workers' tasks failed; trying again")
        await asyncio.sleep(RECOVERY_INTERVAL_S)


async def _recover_while_connected(app: procrastinate.App, url: str, settings: Settings) -> None:
    """Each round, the worker that takes the recovery lock for that round's transaction does
    the work: a worker frozen while it holds the lock is ended by the server's idle-in-
    transaction timeout, and the lock passes to another (held for good, it would not)."""
    await asyncio.to_thread(load_queue_time_zone)
    options = queue_connector_options(url)
    async with await psycopg.AsyncConnection.connect(
        options["conninfo"],
        autocommit=True,
        application_name=RECOVERY_APPLICATION,
        **options["kwargs"],
    ) as connection:
        while True:
            async with connection.transaction():
                if await _takes_lock(connection):
                    await _requeue_stalled(app, connection, settings.worker_stall_s)
            await asyncio.sleep(RECOVERY_INTERVAL_S)


async def _requeue_stalled(
    app: procrastinate.App, connection: psycopg.AsyncConnection[tuple[object, ...]], stall_s: float
) -> None:
    stalled = await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stall_s)
    for task in stalled:
        try:
            await app.job_manager.retry_job(task)
        except ConnectorException:
            continue  # it ended meanwhile
        log.warning("task %s of a dead worker is queued again", task.id)
        # retry_job sends no NOTIFY: wake the workers for it.
        payload = json.dumps({"type": "job_inserted", "job_id": task.id})
        await connection.execute(
            "SELECT pg_notify(%s, %s), pg_notify('procrastinate_any_queue_v1', %s)",
            (f"procrastinate_queue_v1#{task.queue}", payload, payload),
        )


async def _takes_lock(connection: psycopg.AsyncConnection[tuple[object, ...]]) -> bool:
    cursor = await connection.execute("SELECT pg_try_advisory_xact_lock(%s)", (RECOVERY_LOCK,))
    row = await cursor.fetchone()
    return bool(row and row[0])
