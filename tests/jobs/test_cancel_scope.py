"""CancelScope.race: the one place a job's long awaits meet its cancel event."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from catalogsvc.jobs.cancel_scope import CancelScope, JobCancelled, StopReason


async def answer() -> int:
    return 42


async def test_the_work_wins_when_it_finishes_first() -> None:
    assert await CancelScope().race(answer()) == 42


async def test_a_stop_abandons_the_work_in_flight() -> None:
    scope = CancelScope()
    never = asyncio.Event()
    entered = asyncio.Event()

    async def wait_forever() -> None:
        entered.set()
        await never.wait()

    work = asyncio.ensure_future(wait_forever())
    racing = asyncio.create_task(scope.race(work))
    await entered.wait()
    scope.stop(StopReason.user_cancel)

    with pytest.raises(JobCancelled):
        await racing
    assert work.cancelled()


async def test_work_handed_over_after_the_stop_is_closed_without_running() -> None:
    scope = CancelScope()
    scope.stop(StopReason.shutdown)
    late = answer()

    with pytest.raises(JobCancelled):
        await scope.race(late)
    assert inspect.getcoroutinestate(late) == inspect.CORO_CLOSED
