"""Server-Sent Events of one job: progress, file, phase and status, until it ends."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent

from catalogsvc.api.deps import EventBusDep, SignedUrlJobServiceDep
from catalogsvc.api.schemas import JobOut
from catalogsvc.domain import JobStatus

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
    jobs: SignedUrlJobServiceDep, bus: EventBusDep, job_id: str
) -> EventSourceResponse:
    """Stream the job's events; the first is its current state, the last its terminal status."""
    await jobs.get_job(job_id)

    async def stream() -> AsyncIterator[ServerSentEvent]:
        async with bus.subscribe(job_id) as queue:
            # Subscribe first, then read the state, so no transition falls between the two.
            snapshot = JobOut.from_snapshot(await jobs.get_job(job_id))
            yield ServerSentEvent(data=snapshot.model_dump_json(), event="status")
            if snapshot.status.is_terminal:
                return
            while True:
                event = await queue.get()
                yield ServerSentEvent(data=json.dumps(event.data, default=str), event=event.kind)
                if event.kind == "status" and JobStatus(event.data["status"]).is_terminal:
                    return

    return EventSourceResponse(stream(), ping=15)
