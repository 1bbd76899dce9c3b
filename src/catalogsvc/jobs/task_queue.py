"""The PostgreSQL task queue (procrastinate): a job's work deferred as tasks inside the same
transaction as the job's own rows, so that a job and its tasks exist together or not at all.

A batch of files is one task; the last batch to end defers the classification task. Every
task id is recorded in job_tasks, so that ending the job aborts them all in the transaction
that ends it (a trigger, migration 0006). Design and measurements: docs/scale-out-design.md.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from typing import Any

import procrastinate
from sqlalchemy.engine.url import make_url
from sqlmodel import Session

from catalogsvc.store.db import IDLE_IN_TRANSACTION_MS, QUEUE_SCHEMA
from catalogsvc.store.models import JobTaskRow

QUEUE = "catalogsvc"
EXTRACT_TASK = "catalogsvc.extract_batch"
CLASSIFY_TASK = "catalogsvc.classify_job"


def queue_connector_options(database_url: str) -> dict[str, Any]:
    """procrastinate's connection: libpq's URL form, its schema first on the search path."""
    conninfo = make_url(database_url).set(drivername="postgresql")
    return {
        "conninfo": conninfo.render_as_string(hide_password=False),
        # In UTC, psycopg's first look-up of the session's time zone finds it cached
        # (queue_time_zone) instead of reading the zone files on the event loop.
        # A frozen worker's session idle inside a transaction would hold task rows (and so a
        # cancel's abort) for good: the server ends it, as it does the store's.
        "kwargs": {
            "options": f"-c search_path={QUEUE_SCHEMA},public -c TimeZone=UTC "
            f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
        },
    }


def load_queue_time_zone() -> None:
    """Read the UTC zone file once, off the loop (call it through asyncio.to_thread)."""
    zoneinfo.ZoneInfo("UTC")


class TaskQueue:
    """Defers tasks on the caller's own database connection (never its own pool)."""

    def __init__(self, database_url: str, batch_size: int) -> None:
        # Never opened: every defer passes the session's connection.
        self._app = procrastinate.App(
            connector=procrastinate.SyncPsycopgConnector(**queue_connector_options(database_url))
        )
        self._batch_size = batch_size

    def defer_work(self, session: Session, job_id: str, pending_file_ids: list[int]) -> None:
        """A new job's first tasks: one extraction task per batch of its pending files, or
        its classification when none is pending (a reclassify, a resume with all done)."""
        if not pending_file_ids:
            self.defer_classification(session, job_id)
            return
        size = self._batch_size
        batches: list[dict[str, Any]] = [
            {"job_id": job_id, "file_ids": pending_file_ids[i : i + size]}
            for i in range(0, len(pending_file_ids), size)
        ]
        deferrer = self._app.configure_task(
            EXTRACT_TASK, queue=QUEUE, connection=_driver_connection(session)
        )
        self._record(session, job_id, deferrer.batch_defer(*batches))

    def defer_classification(self, session: Session, job_id: str) -> None:
        deferrer = self._app.configure_task(
            CLASSIFY_TASK, queue=QUEUE, connection=_driver_connection(session)
        )
        self._record(session, job_id, [deferrer.defer(job_id=job_id)])

    @staticmethod
    def _record(session: Session, job_id: str, task_ids: Sequence[int]) -> None:
        session.add_all(JobTaskRow(job_id=job_id, task_id=task_id) for task_id in task_ids)


def _driver_connection(session: Session) -> Any:
    return session.connection().connection.driver_connection
