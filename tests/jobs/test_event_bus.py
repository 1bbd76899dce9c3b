"""The event bus: every subscriber gets every event in order; one that falls its backlog behind
gets a `lagged` event instead of holding the job's events in memory, and the others go on."""

from __future__ import annotations

from catalogsvc.domain import JobStatus
from catalogsvc.jobs.events import (
    EventBus,
    JobEvent,
    LaggedEvent,
    ProgressEvent,
    StatusEvent,
    batches_until_ended,
)

JOB = "a" * 32


def progress(done: int) -> ProgressEvent:
    return ProgressEvent(job_id=JOB, files_total=9, files_done=done, files_failed=0, papers=done)


async def test_a_reader_too_far_behind_ends_lagged_while_the_others_get_everything() -> None:
    bus = EventBus()
    async with bus.subscribe(JOB) as patient, bus.subscribe(JOB, backlog=3) as slow:
        for done in range(1, 6):
            bus.publish(progress(done))
        bus.publish(StatusEvent(job_id=JOB, status=JobStatus.completed, reason="done"))

        everything: list[JobEvent] = [e async for b in batches_until_ended(patient) for e in b]
        lagged: list[JobEvent] = [e async for b in batches_until_ended(slow) for e in b]

    assert [getattr(e, "files_done", None) for e in everything] == [1, 2, 3, 4, 5, None]
    assert lagged == [LaggedEvent(job_id=JOB, behind=3)]
    assert lagged[0].as_sse.startswith(b"event: lagged\r\ndata: ")
