"""A running job's events, one typed model per kind, and the in-process bus that fans them out
to the SSE stream and the CLI's progress bar."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from pydantic import BaseModel

from catalogsvc.domain import FileState, JobPhase, JobStatus, Paper


class StatusEvent(BaseModel):
    """The job moved to `status`; the last event of a stream is a terminal one."""

    kind: Literal["status"] = "status"
    job_id: str
    status: JobStatus
    reason: str


class PhaseEvent(BaseModel):
    """The job entered `phase`; `timings` are the seconds spent in each phase so far."""

    kind: Literal["phase"] = "phase"
    job_id: str
    phase: JobPhase
    timings: dict[str, float]


class FileEvent(BaseModel):
    """A worker took a file (`started`), or the file ended: `done` with its paper, or
    `failed` / `skipped` with the reason."""

    kind: Literal["file"] = "file"
    job_id: str
    file_name: str
    state: Literal["started"] | FileState
    error: str | None = None
    paper: Paper | None = None


class ProgressEvent(BaseModel):
    """The job's counts: files ended (failed ones included), papers stored, papers classified."""

    kind: Literal["progress"] = "progress"
    job_id: str
    files_total: int
    files_done: int
    files_failed: int
    papers: int
    classified: int = 0


JobEvent = StatusEvent | PhaseEvent | FileEvent | ProgressEvent


async def until_ended(queue: asyncio.Queue[JobEvent]) -> AsyncIterator[JobEvent]:
    """A subscriber's events, up to and with the job's terminal status."""
    while True:
        event = await queue.get()
        yield event
        if isinstance(event, StatusEvent) and event.status.is_terminal:
            return


class EventBus:
    """Fan job events out to every subscriber of that job."""

    def __init__(self) -> None:
        self._subscribers: defaultdict[str, set[asyncio.Queue[JobEvent]]] = defaultdict(set)

    def publish(self, event: JobEvent) -> None:
        for queue in self._subscribers.get(event.job_id, ()):
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self, job_id: str) -> AsyncIterator[asyncio.Queue[JobEvent]]:
        queue: asyncio.Queue[JobEvent] = asyncio.Queue()
        self._subscribers[job_id].add(queue)
        try:
            yield queue
        finally:
            self._subscribers[job_id].discard(queue)
            if not self._subscribers[job_id]:
                del self._subscribers[job_id]
