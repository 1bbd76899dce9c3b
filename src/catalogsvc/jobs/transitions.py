"""The one place a job's status changes: each change is one conditional update."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from catalogsvc.domain import ACTIVE_STATUSES, JobPhase, JobStatus
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.events import PhaseEvent, StatusEvent
from catalogsvc.jobs.replica import Replica
from catalogsvc.store.models import utc_now
from catalogsvc.store.repository import Store

log = logging.getLogger("catalogsvc.jobs")

CANCELLED_BY_USER = "Cancelled by user"
REPLICA_STOPPED = "Interrupted: the server stopped while the job was active"
LEASE_EXPIRED = "Interrupted: the replica running it stopped renewing its lease"


class JobTransitions:
    """Move jobs between states; cancel, complete, fail and interrupt race and one wins."""

    def __init__(self, store: Store, bus: EventBus) -> None:
        self._store = store
        self._bus = bus

    async def start(self, job_id: str) -> bool:
        return await self._move(
            job_id,
            (JobStatus.queued,),
            JobStatus.running,
            "started",
            start_time=utc_now(),
            phase=JobPhase.extracting.value,
        )

    async def complete(self, job_id: str, timings: dict[str, float]) -> bool:
        return await self._move(
            job_id,
            (JobStatus.running,),
            JobStatus.completed,
            "all phases done",
            end_time=utc_now(),
            phase=JobPhase.done.value,
            timings=timings,
        )

    async def fail(self, job_id: str, reason: str, timings: dict[str, float]) -> bool:
        return await self._move(
            job_id,
            ACTIVE_STATUSES,
            JobStatus.failed,
            reason,
            end_time=utc_now(),
            error=reason,
            timings=timings,
        )

    async def cancel(self, job_id: str, timings: dict[str, float] | None = None) -> bool:
        """Cancel the job; `timings`, when the caller knows them, are its final timings."""
        now = utc_now()
        values = _with_timings(
            {"end_time": now, "cancel_requested_at": now, "error": CANCELLED_BY_USER}, timings
        )
        return await self._move(
            job_id, ACTIVE_STATUSES, JobStatus.cancelled, CANCELLED_BY_USER, **values
        )

    async def interrupt(
        self,
        job_id: str,
        reason: str,
        *,
        timings: dict[str, float] | None = None,
        lease_expired_before: datetime | None = None,
    ) -> bool:
        values = _with_timings({"end_time": utc_now(), "error": reason}, timings)
        return await self._move(
            job_id,
            ACTIVE_STATUSES,
            JobStatus.interrupted,
            reason,
            lease_expired_before=lease_expired_before,
            **values,
        )

    async def interrupt_abandoned_jobs(self, replica: Replica, *, at_start: bool) -> list[str]:
        """Interrupt the active jobs whose replica is gone: known gone, or its lease expired.

        The expiry is checked again in the conditional update, so a lease renewed meanwhile
        keeps its job.
        """
        active = await asyncio.to_thread(self._store.jobs_with_status, ACTIVE_STATUSES)
        expired_before = utc_now() - timedelta(seconds=replica.lease_s)
        interrupted = []
        for job in active:
            if replica.knows_gone(job.replica, at_start=at_start):
                moved = await self.interrupt(job.id, REPLICA_STOPPED)
            elif job.replica != replica.name:
                moved = await self.interrupt(
                    job.id, LEASE_EXPIRED, lease_expired_before=expired_before
                )
            else:
                continue  # this replica's own live job
            if moved:
                interrupted.append(job.id)
        return interrupted

    async def renew_leases(self, replica_name: str) -> None:
        """Tell the other replicas that this one still runs its jobs."""
        await asyncio.to_thread(self._store.renew_leases, replica_name, utc_now())

    async def ended_elsewhere(self, job_ids: list[str]) -> list[str]:
        """Those of `job_ids` the store shows as ended, e.g. cancelled through another replica."""
        statuses = await asyncio.to_thread(self._store.statuses, job_ids)
        return [job_id for job_id, status in statuses.items() if status.is_terminal]

    async def enter_phase(self, job_id: str, phase: JobPhase, timings: dict[str, float]) -> None:
        """Record the phase of a running job (no-op once the job has ended)."""
        changed = await asyncio.to_thread(
            self._store.update_running_job, job_id, {"phase": phase.value, "timings": timings}
        )
        if changed:
            self._bus.publish(PhaseEvent(job_id=job_id, phase=phase, timings=timings))

    async def _move(
        self,
        job_id: str,
        allowed: tuple[JobStatus, ...],
        target: JobStatus,
        reason: str,
        *,
        lease_expired_before: datetime | None = None,
        **values: Any,
    ) -> bool:
        won = await asyncio.to_thread(
            self._store.transition,
            job_id,
            allowed,
            {"status": target.value, **values},
            lease_expired_before=lease_expired_before,
        )
        if won:
            progress = (await asyncio.to_thread(self._store.progress, [job_id]))[job_id]
            log.info(
                "job %s -> %s (%s); files %d/%d done, %d failed, %d papers",
                job_id,
                target.value,
                reason,
                progress.files_done,
                progress.files_total,
                progress.files_failed,
                progress.papers,
            )
            # A file stored just before this transition has its event heard before the end.
            await self._bus.until_published(job_id)
            self._bus.publish(StatusEvent(job_id=job_id, status=target, reason=reason))
        return won


def _with_timings(values: dict[str, Any], timings: dict[str, float] | None) -> dict[str, Any]:
    """`values`, with the job's final timings when they are known."""
    return values if timings is None else {**values, "timings": timings}
