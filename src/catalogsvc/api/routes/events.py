"""Server-Sent Events of one job: the job itself first, then its status, phase, file and
progress events (catalogsvc.jobs.events, one model per kind) until it ends."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter
from pydantic_core import to_json
from sse_starlette import EventSourceResponse, ServerSentEvent

from catalogsvc.api.deps import ServicesDep, SignedUrlJobId, SignedUrlJobServiceDep
from catalogsvc.api.job_answers import job_json
from catalogsvc.domain import JobStatus
from catalogsvc.jobs.store_events import events_from_store

# Events a stream may fall behind (two a file) before it ends with a `lagged` event.
STREAM_BACKLOG = 10_000
# How long a stream may go on once the server is stopping: long enough for its job, stopped
# first (catalogsvc.serving), to send its terminal status; a job run elsewhere is cut then.
STREAM_SHUTDOWN_GRACE_S = 5.0
router = APIRouter(prefix="/api", tags=["events"])


@router.get(
    "/jobs/{job_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {"description": "An event stream", "content": {"text/event-stream": {}}},
        404: {"description": "No job with this id"},
    },
)
async def job_events(
    jobs: SignedUrlJobServiceDep, services: ServicesDep, job_id: SignedUrlJobId
) -> EventSourceResponse:
    """Stream the job's events. The first, `job`, is the whole job as GET /api/jobs/{id} gives
    it; then `status`, `phase`, `file` and `progress` events; the last is a terminal `status`
    (a job that has ended already sends only its `job` event). A client that reads more than
    10,000 events behind the job gets `lagged` and the stream ends: reconnect for the job as it
    is now."""
    await jobs.get_job(job_id)

    async def stream() -> AsyncIterator[ServerSentEvent | bytes]:
        async with services.bus.subscribe(job_id, backlog=STREAM_BACKLOG) as listener:
            # Subscribe first, then read the state, so no transition falls between the two.
            first = await jobs.get_job(job_id)
            yield ServerSentEvent(data=to_json(job_json(first)).decode(), event="job")
            if JobStatus(first.job.status).is_terminal:
                return
            if jobs.runs_here(first.job):
                async for batch in listener.sse_batches():
                    yield batch
                return
            # A job a worker, another replica or the CLI runs is heard of through the store.
            async for event in events_from_store(jobs, first):
                yield event.as_sse

    return EventSourceResponse(stream(), ping=15, shutdown_grace_period=STREAM_SHUTDOWN_GRACE_S)
