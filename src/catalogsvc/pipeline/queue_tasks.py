"""A job's work as task-queue tasks (PostgreSQL mode, `catalogsvc worker`): a batch of its
files, then its classification. The same phases as the in-process run; the job's status still
changes only through JobTransitions.

A task may run twice (a worker that looked dead was only slow): a batch skips the files
already ended, and only one batch moves the job on to classification.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import procrastinate
from sqlmodel import Session

from catalogsvc.domain import JobPhase, JobStatus
from catalogsvc.errors import DatabaseUnavailable
from catalogsvc.jobs.cancel_scope import CancelScope, JobCancelled
from catalogsvc.jobs.task_queue import CLASSIFY_TASK, EXTRACT_TASK, QUEUE, TaskQueue
from catalogsvc.parts import Parts
from catalogsvc.pipeline.context import JobContext
from catalogsvc.pipeline.phases import classify_papers, extract_files
from catalogsvc.store.models import utc_now

log = logging.getLogger("catalogsvc.worker")

RETRY_WAIT_S = 1


class QueueTasks:
    """The task functions, on one worker's parts."""

    def __init__(self, parts: Parts, queue: TaskQueue) -> None:
        self._parts = parts
        self._queue = queue

    def register(self, app: procrastinate.App) -> None:
        # Only a cancelled task or an unreachable database reaches procrastinate's retry (the
        # bodies catch every other error): a task a stopping worker cut short runs again
        # elsewhere, one the job's end aborted runs again as a no-op since its job has ended,
        # and one the database failed runs again once it is back.
        again = procrastinate.RetryStrategy(wait=RETRY_WAIT_S)
        app.task(name=EXTRACT_TASK, queue=QUEUE, retry=again)(self.extract_batch)
        app.task(name=CLASSIFY_TASK, queue=QUEUE, retry=again)(self.classify_job)

    async def extract_batch(self, job_id: str, file_ids: list[int]) -> None:
        context = await self._running(job_id)
        if context is None:
            return
        try:
            await extract_files(context, only=set(file_ids))
        except JobCancelled:
            return  # the job ended meanwhile; nothing more of it is stored
        except DatabaseUnavailable:
            raise  # the task runs again (the files it stored are skipped then)
        except Exception as error:  # the job cannot go on; its other tasks are aborted with it
            await self._fail(job_id, error)
            return

        def then(session: Session) -> None:
            self._queue.defer_classification(session, job_id)

        timings = {JobPhase.extracting.value: _seconds_since(context.job.start_time)}
        if await asyncio.to_thread(self._parts.store.finish_extraction, job_id, then, timings):
            log.info("job %s: every file ended; classification queued", job_id)

    async def classify_job(self, job_id: str) -> None:
        context = await self._running(job_id)
        if context is None:
            return
        context.timings = dict(context.job.timings)  # the extraction's, over every worker
        try:
            await context.enter_phase(JobPhase.classifying)
            await classify_papers(context)
        except JobCancelled:
            return
        except DatabaseUnavailable:
            raise
        except Exception as error:
            await self._fail(job_id, error)
            return
        await self._parts.transitions.complete(job_id, context.close_phase())

    async def _running(self, job_id: str) -> JobContext | None:
        """The job's context once it runs (the first task starts it); None once it ended."""
        await self._parts.transitions.start(job_id)  # a no-op unless it is still queued
        job = await asyncio.to_thread(self._parts.store.get_job, job_id)
        if job is None or job.status != JobStatus.running.value:
            return None
        return self._parts.context_for(job, CancelScope())

    async def _fail(self, job_id: str, error: Exception) -> None:
        log.exception("job %s failed in a queue task", job_id, exc_info=error)
        await self._parts.transitions.fail(job_id, f"{type(error).__name__}: {error}", {})


def _seconds_since(start: datetime | None) -> float:
    if start is None:
        return 0.0
    if start.tzinfo is None:  # SQLite keeps no time zone; the store writes UTC
        start = start.replace(tzinfo=UTC)
    return round((utc_now() - start).total_seconds(), 4)
