"""A running job's events, one typed model per kind, and the in-process bus that fans them out
to the SSE stream and the CLI's progress bar."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property
from typing import Literal

from pydantic import BaseModel

from catalogsvc.domain import FileState, JobPhase, JobStatus, Paper


class _Event(BaseModel):
    @cached_property
    def as_sse(self) -> bytes:
        """The event as one server-sent event (its JSON holds no line break), encoded once
        however many streams carry it."""
        kind: str = getattr(self, "kind")  # noqa: B009 -- each kind of event names itself
        return f"event: {kind}\r\ndata: {self.model_dump_json()}\r\n\r\n".encode()


class StatusEvent(_Event):
    """The job moved to `status`; the last event of a stream is a terminal one."""

    kind: Literal["status"] = "status"
    job_id: str
    status: JobStatus
    reason: str


class PhaseEvent(_Event):
    """The job entered `phase`; `timings` are the seconds spent in each phase so far."""

    kind: Literal["phase"] = "phase"
    job_id: str
    phase: JobPhase
    timings: dict[str, float]


class FileEvent(_Event):
    """A worker took a file (`started`), or the file ended: `done` with its paper, or
    `failed` / `skipped` with the reason."""

    kind: Literal["file"] = "file"
    job_id: str
    file_name: str
    state: Literal["started"] | FileState
    error: str | None = None
    paper: Paper | None = None


class ProgressEvent(_Event):
    """The job's counts: files ended (failed ones included), papers stored, papers classified."""

    kind: Literal["progress"] = "progress"
    job_id: str
    files_total: int
    files_done: int
    files_failed: int
    papers: int
    classified: int = 0


class LaggedEvent(_Event):
    """The last event of a stream that fell `behind` events behind the job: it ends there, and
    a client reconnects for the job's state as it is now."""

    kind: Literal["lagged"] = "lagged"
    job_id: str
    behind: int


JobEvent = StatusEvent | PhaseEvent | FileEvent | ProgressEvent | LaggedEvent


# How long a stream gathers events before writing them: unnoticed by a person watching, and
# 100 listeners on a fast job write 20 times a second each instead of 1,200.
BATCH_WINDOW_S = 0.05


async def batches_until_ended(queue: asyncio.Queue[JobEvent]) -> AsyncIterator[list[JobEvent]]:
    """A subscriber's events gathered for up to BATCH_WINDOW_S after the first (one write for
    many: a fast job sends three events a file to every listener), up to and with the job's
    terminal status."""
    while True:
        batch = [await queue.get()]
        if not _ends(batch[-1]):
            await asyncio.sleep(BATCH_WINDOW_S)
        while not queue.empty() and not _ends(batch[-1]):
            batch.append(queue.get_nowait())
        yield batch
        if _ends(batch[-1]):
            return


def _ends(event: JobEvent) -> bool:
    return isinstance(event, LaggedEvent) or (
        isinstance(event, StatusEvent) and event.status.is_terminal
    )


class EventBus:
    """Fan job events out to every subscriber of that job."""

    def __init__(self) -> None:
        self._subscribers: defaultdict[str, set[asyncio.Queue[JobEvent]]] = defaultdict(set)

    def publish(self, event: JobEvent) -> None:
        for queue in list(self._subscribers.get(event.job_id, ())):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                # A reader this far behind would hold every later event in memory until the
                # job ends: its stream ends instead, with what it missed.
                self._subscribers[event.job_id].discard(queue)
                behind = queue.qsize()
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(LaggedEvent(job_id=event.job_id, behind=behind))

    @asynccontextmanager
    async def subscribe(
        self, job_id: str, *, backlog: int = 0
    ) -> AsyncIterator[asyncio.Queue[JobEvent]]:
        """A queue of the job's events from now on; with a `backlog`, a subscriber that falls
        that many behind gets a LaggedEvent and nothing more (0: no bound)."""
        queue: asyncio.Queue[JobEvent] = asyncio.Queue(maxsize=backlog)
        self._subscribers[job_id].add(queue)
        try:
            yield queue
        finally:
            subscribers = self._subscribers.get(job_id)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._subscribers[job_id]
