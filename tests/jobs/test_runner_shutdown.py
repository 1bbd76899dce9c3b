"""JobRunner.shutdown: a job that ignores its cancel event is cut off when the grace runs out."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pytest

from catalogsvc.domain import JobKind, JobPhase, JobStatus
from catalogsvc.jobs.cancel_scope import CancelScope, StopReason
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.runner import SHUTDOWN_REASON, JobRunner
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.store.models import JobRow
from catalogsvc.store.repository import Store

GRACE_S = 0.5
# asyncio's timers may fire a clock tick before time.monotonic() says the grace is over.
TIMER_SLACK_S = 0.05
# Far longer than the grace: a shutdown that does not cut the job off fails instead of hanging.
SHUTDOWN_DEADLINE_S = 10.0


@dataclass
class StubbornContext:
    """A pipeline context that notes when its work was cancelled."""

    scope: CancelScope
    cancelled_at: float | None = None

    def elapsed_timings(self) -> dict[str, float]:
        return {}

    def close_phase(self) -> dict[str, float]:
        return {}


def queued_job(job_id: str) -> JobRow:
    return JobRow(
        id=job_id,
        kind=JobKind.process.value,
        status=JobStatus.queued.value,
        phase=JobPhase.queued.value,
        taxonomy={"name": "t", "categories": []},
        classifier="offline",
    )


@pytest.mark.parametrize("shielded", [False, True], ids=["plain", "shielded"])
async def test_a_job_ignoring_its_cancel_event_is_interrupted_when_the_grace_runs_out(
    store: Store, shielded: bool
) -> None:
    """The pipeline awaits an event nobody sets and never looks at its cancel event (in the
    shielded case it shields that await from cancellation too). shutdown(grace_s) fires the
    event, waits out the grace, then cancels the task: the job ends `interrupted` with the
    shutdown's reason, and shutdown returns."""
    never, entered = asyncio.Event(), asyncio.Event()
    contexts: list[StubbornContext] = []

    def context_for(job: JobRow, scope: CancelScope) -> StubbornContext:
        contexts.append(StubbornContext(scope))
        return contexts[-1]

    async def ignore_the_cancel_event(context: StubbornContext) -> None:
        entered.set()
        try:
            await (asyncio.shield(never.wait()) if shielded else never.wait())
        except asyncio.CancelledError:
            context.cancelled_at = time.monotonic()
            raise

    runner = JobRunner(
        JobTransitions(store, EventBus()),
        ignore_the_cancel_event,
        context_for,
        max_concurrent_jobs=1,
    )
    job = queued_job("stubborn")
    await asyncio.to_thread(store.create_job, job, [])
    runner.launch(job)
    await asyncio.wait_for(entered.wait(), SHUTDOWN_DEADLINE_S)
    (context,) = contexts

    shutdown_began = time.monotonic()
    try:
        await asyncio.wait_for(runner.shutdown(grace_s=GRACE_S), SHUTDOWN_DEADLINE_S)
    finally:
        never.set()  # lets a shielded await end, so no task outlives the test

    assert context.scope.event.is_set() and context.scope.reason is StopReason.shutdown
    assert context.cancelled_at is not None, "shutdown returned without cancelling the job"
    assert context.cancelled_at - shutdown_began >= GRACE_S - TIMER_SLACK_S
    row = await asyncio.to_thread(store.get_job, job.id)
    assert row is not None
    assert (row.status, row.error) == (JobStatus.interrupted.value, SHUTDOWN_REASON)


async def test_a_job_launched_while_shutting_down_ends_interrupted_without_running(
    store: Store,
) -> None:
    """A request in flight when the shutdown began may still create a job: it never runs."""
    ran: list[str] = []

    async def pipeline(context: StubbornContext) -> None:
        ran.append("ran")

    runner = JobRunner(
        JobTransitions(store, EventBus()),
        pipeline,
        lambda job, scope: StubbornContext(scope),
        max_concurrent_jobs=1,
    )
    await runner.shutdown()
    job = queued_job("late")
    await asyncio.to_thread(store.create_job, job, [])

    runner.launch(job)
    await asyncio.wait_for(runner.wait(job.id), SHUTDOWN_DEADLINE_S)

    stored = await asyncio.to_thread(store.get_job, job.id)
    assert stored is not None
    assert (stored.status, stored.error) == (JobStatus.interrupted.value, SHUTDOWN_REASON)
    assert ran == []
