"""The event bus: every listener gets every event published after it subscribed, in order, in
batches or one at a time; one that falls its backlog behind gets a `lagged` event and no longer
holds the job's events in memory, and the others go on."""

from __future__ import annotations

import asyncio
import json

from catalogsvc.domain import JobStatus
from catalogsvc.jobs.event_bus import TRIM_EVERY, EventBus
from catalogsvc.jobs.events import JobEvent, LaggedEvent, ProgressEvent, StatusEvent

JOB = "a" * 32


def progress(done: int) -> ProgressEvent:
    return ProgressEvent(job_id=JOB, files_total=9, files_done=done, files_failed=0, papers=done)


def files_done(event: JobEvent) -> int | None:
    return getattr(event, "files_done", None)


def sse_data(batches: list[bytes]) -> list[dict[str, object]]:
    """The data of each server-sent event in the batches, in order."""
    return [
        json.loads(line.removeprefix(b"data: "))
        for batch in batches
        for line in batch.split(b"\r\n")
        if line.startswith(b"data: ")
    ]


def completed() -> StatusEvent:
    return StatusEvent(job_id=JOB, status=JobStatus.completed, reason="done")


async def test_a_reader_too_far_behind_ends_lagged_while_the_others_get_everything() -> None:
    bus = EventBus()
    async with bus.subscribe(JOB) as patient, bus.subscribe(JOB, backlog=3) as slow:
        for done in range(1, 6):
            bus.publish(progress(done))
        bus.publish(completed())

        everything = sse_data([batch async for batch in patient.sse_batches()])
        lagged = [batch async for batch in slow.sse_batches()]

    assert [event.get("files_done") for event in everything] == [1, 2, 3, 4, 5, None]
    assert everything[-1]["status"] == "completed"
    assert lagged == [LaggedEvent(job_id=JOB, behind=6).as_sse]
    assert lagged[0].startswith(b"event: lagged\r\ndata: ")


async def test_a_listener_hears_only_what_comes_after_it_subscribed_and_waits_for_it() -> None:
    bus = EventBus()
    async with bus.subscribe(JOB) as early:
        bus.publish(progress(1))
        async with bus.subscribe(JOB) as late:
            waiting = asyncio.ensure_future(late.get())
            await asyncio.sleep(0)  # one turn of the loop: the listener runs, finds nothing new
            assert not waiting.done()
            bus.publish(progress(2))
            bus.publish(completed())
            heard_late = [await waiting, await late.get()]
        heard_early = [await early.get() for _ in range(3)]

    assert [files_done(e) for e in heard_late] == [2, None]
    assert [files_done(e) for e in heard_early] == [1, 2, None]


async def test_a_batch_ends_with_the_terminal_status_and_nothing_after_it() -> None:
    bus = EventBus()
    async with bus.subscribe(JOB) as listener:
        bus.publish(progress(1))
        bus.publish(completed())
        bus.publish(progress(2))  # a late event of a job that ended is not heard

        batches = [batch async for batch in listener.sse_batches()]

    assert batches == [progress(1).as_sse + completed().as_sse]


async def test_the_bus_holds_what_its_listeners_have_yet_to_read_and_nothing_once_they_leave() -> (
    None
):
    bus = EventBus()
    async with bus.subscribe(JOB) as reader, bus.subscribe(JOB, backlog=10) as stalled:
        for done in range(3 * TRIM_EVERY):
            bus.publish(progress(done))
            assert files_done(await reader.get()) == done
        # The stalled one fell behind its backlog: its unread events are not kept for it.
        assert bus.events_held(JOB) < TRIM_EVERY
        assert await stalled.get() == LaggedEvent(job_id=JOB, behind=3 * TRIM_EVERY)

        async with bus.subscribe(JOB) as unbounded:
            for done in range(2 * TRIM_EVERY):
                bus.publish(progress(done))
            # A listener with no backlog bound is never dropped: all it has not read is kept.
            assert bus.events_held(JOB) >= 2 * TRIM_EVERY
            assert [files_done(await unbounded.get()) for _ in range(3)] == [0, 1, 2]

    assert bus.events_held(JOB) == 0
    bus.publish(progress(1))
    assert bus.events_held(JOB) == 0


async def test_a_stream_keeping_pace_reads_every_event_while_the_bus_drops_what_it_read() -> None:
    bus = EventBus()
    async with bus.subscribe(JOB, backlog=TRIM_EVERY) as listener:
        batches = listener.sse_batches()
        received = []
        for chunk in range(7):
            for done in range(500 * chunk, 500 * (chunk + 1)):
                bus.publish(progress(done))
            received.append(await anext(batches))
            assert bus.events_held(JOB) < 2 * TRIM_EVERY
        bus.publish(completed())
        received += [batch async for batch in batches]

    assert [event.get("files_done") for event in sse_data(received)] == [*range(3500), None]


async def test_the_end_of_a_job_waits_for_the_events_of_a_write_in_flight() -> None:
    """A write stored before the job ended publishes its events after its thread returns; the
    terminal status, published once the writes in flight have, comes after them."""
    bus = EventBus()
    stored = asyncio.Event()

    async def write() -> None:
        with bus.in_flight(JOB):
            await stored.wait()  # the store's thread, committing
            bus.publish(progress(1))

    async def end() -> None:
        await bus.until_published(JOB)
        bus.publish(completed())

    async with bus.subscribe(JOB) as listener:
        writing = asyncio.create_task(write())
        await asyncio.sleep(0)  # one turn of the loop: the write is in flight
        ending = asyncio.create_task(end())
        await asyncio.sleep(0)
        assert not ending.done()  # it waits for the write
        stored.set()
        await asyncio.gather(writing, ending)
        heard = [await listener.get(), await listener.get()]

    assert heard == [progress(1), completed()]
    await bus.until_published(JOB)  # nothing in flight: no wait
