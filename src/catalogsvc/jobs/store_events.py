"""A job's events read from the store, for the task queue's mode: its work runs in worker
processes whose event buses this process cannot hear, so the stream follows the job's row
(status, phase, counts) instead; per-file events are not sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import asdict

from catalogsvc.domain import JobPhase, JobStatus
from catalogsvc.jobs.events import JobEvent, PhaseEvent, ProgressEvent, StatusEvent
from catalogsvc.jobs.service import JobService
from catalogsvc.store.snapshot import JobSnapshot

STORE_POLL_S = 0.25


async def events_from_store(jobs: JobService, first: JobSnapshot) -> AsyncIterator[JobEvent]:
    """The changes of the job after `first`, until (and with) its terminal status."""
    job_id, last = first.job.id, first
    while True:
        await asyncio.sleep(STORE_POLL_S)
        now = await jobs.get_job(job_id)
        if now.job.phase != last.job.phase:
            yield PhaseEvent(
                job_id=job_id, phase=JobPhase(now.job.phase), timings=dict(now.job.timings)
            )
        if now.progress != last.progress:
            yield ProgressEvent(job_id=job_id, **asdict(now.progress))
        if now.job.status != last.job.status:
            status = JobStatus(now.job.status)
            yield StatusEvent(job_id=job_id, status=status, reason=now.job.error or str(status))
            if status.is_terminal:
                return
        last = now
