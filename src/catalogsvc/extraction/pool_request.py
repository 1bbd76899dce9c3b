"""One reading asked of the extraction pool, and how its caller, on its own event loop, hears
of it from the pool's threads."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from catalogsvc.extraction.pool_worker import Answer, WorkerProcess


@dataclass(eq=False)
class PoolRequest:
    """One reading asked of the pool; the pool's lock guards the fields after `answer`."""

    read: Callable[[str], object]
    path: str
    on_start: Callable[[], None] | None
    loop: asyncio.AbstractEventLoop
    answer: asyncio.Future[Answer] = field(init=False)
    worker: WorkerProcess | None = None  # the worker it was sent to
    reading: bool = False  # whether the worker has begun it
    abandoned: bool = False
    answered: bool = False

    def __post_init__(self) -> None:
        self.answer = self.loop.create_future()

    def settle(self, value: Answer) -> None:
        """Give the caller its answer, unless it has one."""
        self._tell(_settle, self.answer, value)

    def report_start(self) -> None:
        """Tell the caller that a worker began the reading (`on_start`), unless answered."""
        if self.on_start is not None:
            self._tell(_call_unless_done, self.answer, self.on_start)

    def _tell(self, callback: Callable[..., None], *args: object) -> None:
        """Run `callback(*args)` on the caller's loop (gone at shutdown: nobody to tell)."""
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(callback, *args)


def _call_unless_done(answer: asyncio.Future[Answer], callback: Callable[[], None]) -> None:
    if not answer.done():
        callback()


def _settle(answer: asyncio.Future[Answer], value: Answer) -> None:
    if not answer.done():
        answer.set_result(value)
