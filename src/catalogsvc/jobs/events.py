"""In-process publish/subscribe of job events, feeding the SSE stream."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class JobEvent:
    kind: str  # progress, file, phase, status
    data: dict[str, Any]


class EventBus:
    """Fan job events out to every subscriber of that job."""

    def __init__(self) -> None:
        self._subscribers: defaultdict[str, set[asyncio.Queue[JobEvent]]] = defaultdict(set)

    def publish(self, job_id: str, kind: str, data: dict[str, Any]) -> None:
        event = JobEvent(kind, {"job_id": job_id, **data})
        for queue in self._subscribers.get(job_id, ()):
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
