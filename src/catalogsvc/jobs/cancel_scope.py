"""A job's cancel scope: the event that stops it, why, and racing awaits against it."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class JobCancelled(Exception):
    """The job's cancel event fired."""


class StopReason(StrEnum):
    user_cancel = "user_cancel"
    shutdown = "shutdown"


@dataclass
class CancelScope:
    """The cancel event of one job and why it was set."""

    event: asyncio.Event = field(default_factory=asyncio.Event)
    reason: StopReason | None = None

    def stop(self, reason: StopReason) -> None:
        if self.reason is None:
            self.reason = reason
        self.event.set()

    async def race(self, awaitable: Awaitable[T]) -> T:
        """Await `awaitable` unless the event fires first; then abandon it at once.
        A coroutine handed over after the event fired is closed without running."""
        if self.event.is_set():
            if inspect.iscoroutine(awaitable):
                awaitable.close()
            raise JobCancelled
        work = asyncio.ensure_future(awaitable)
        stop = asyncio.ensure_future(self.event.wait())
        try:
            await asyncio.wait((work, stop), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not work.done():
                work.cancel()
                with contextlib.suppress(BaseException):
                    await work
        if work.cancelled() or not work.done():
            raise JobCancelled
        return work.result()
