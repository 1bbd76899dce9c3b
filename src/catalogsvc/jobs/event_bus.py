"""The in-process bus that fans a running job's events out to its listeners (the SSE streams,
the CLI's progress bar): one shared log per job, each listener reading it at its own position."""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from catalogsvc.jobs.events import JobEvent, LaggedEvent, StatusEvent

# How long a listener gathers events before taking them: ten updates a second look live to a
# person watching, and 100 listeners on a fast job each write 10 times a second, not 2,000.
BATCH_WINDOW_S = 0.1
# Events appended between two trims of a log (each trim looks at every listener's position).
TRIM_EVERY = 1024


def ends_stream(event: JobEvent) -> bool:
    """Whether a listener hears nothing after this event."""
    return isinstance(event, LaggedEvent) or (
        isinstance(event, StatusEvent) and event.status.is_terminal
    )


class _JobLog:
    """A job's events from its slowest listener's position on, as objects and as one run of
    server-sent-event bytes. Publishing appends once, however many listen, and a listener
    takes all it has not read as one slice: a listener costs a copy per batch, not work per
    event."""

    def __init__(self) -> None:
        self.events: list[JobEvent] = []
        self.start = 0  # the position of events[0] among the events since the log began
        self.encoded = bytearray()  # the events' SSE bytes, events[0]'s first
        self.offsets: list[int] = []  # where each event's bytes start in `encoded`
        self.stream_ends: list[int] = []  # the positions of the events that end a stream
        self.listeners: set[Subscription] = set()
        self.arrived = asyncio.Event()
        self._next_trim = TRIM_EVERY
        self._last_slice: tuple[int, int, bytes] = (0, 0, b"")

    @property
    def end(self) -> int:
        return self.start + len(self.events)

    def append(self, event: JobEvent) -> None:
        if ends_stream(event):
            self.stream_ends.append(self.end)
        self.offsets.append(len(self.encoded))
        self.encoded += event.as_sse
        self.events.append(event)
        self.arrived.set()  # wakes the listeners waiting now; later ones wait for the next
        self.arrived.clear()
        if len(self.events) >= self._next_trim:
            self._trim()

    def stream_end_from(self, position: int) -> int | None:
        """The position just past the first event from `position` on that ends a stream."""
        index = bisect.bisect_left(self.stream_ends, position)
        return self.stream_ends[index] + 1 if index < len(self.stream_ends) else None

    def sse_bytes(self, first: int, stop: int) -> bytes:
        """The SSE bytes of the events from position `first` up to `stop`; listeners that
        keep pace take the same slice, made once."""
        cached_first, cached_stop, cached = self._last_slice
        if (cached_first, cached_stop) != (first, stop):
            begin = self.offsets[first - self.start]
            until = self.offsets[stop - self.start] if stop < self.end else len(self.encoded)
            cached = bytes(memoryview(self.encoded)[begin:until])
            self._last_slice = (first, stop, cached)
        return cached

    def _trim(self) -> None:
        """Drop the events every listener has read, or has fallen too far behind to read."""
        kept = [s.position for s in self.listeners if not s.is_behind()]
        dropped = min(kept, default=self.end) - self.start
        if dropped:
            cut = self.offsets[dropped] if dropped < len(self.offsets) else len(self.encoded)
            del self.encoded[:cut]
            self.offsets = [offset - cut for offset in self.offsets[dropped:]]
            del self.events[:dropped]
            self.start += dropped
            self._last_slice = (0, 0, b"")
        self._next_trim = len(self.events) + TRIM_EVERY


class Subscription:
    """One listener's view of a job's events: those published since it subscribed, in order;
    with a `backlog`, one that falls that many behind gets a LaggedEvent and nothing more."""

    def __init__(self, log: _JobLog, job_id: str, backlog: int) -> None:
        self._log = log
        self._job_id = job_id
        self._backlog = backlog
        self.position = log.end

    def is_behind(self) -> bool:
        """Whether this listener fell further behind than its backlog (0: no bound)."""
        behind = self._log.end - self.position
        return self.position < self._log.start or (0 < self._backlog < behind)

    async def get(self) -> JobEvent:
        """The next event, waiting for it if none is new."""
        while self.position == self._log.end:
            await self._log.arrived.wait()
        if self.is_behind():
            return self._lagged()
        event = self._log.events[self.position - self._log.start]
        self.position += 1
        return event

    async def sse_batches(self) -> AsyncIterator[bytes]:
        """The events as server-sent events, gathered for up to BATCH_WINDOW_S after the first
        (one write for many: a fast job sends two events a file), up to and with the one
        that ends the stream."""
        log = self._log
        while True:
            while self.position == log.end:
                await log.arrived.wait()
            if log.stream_end_from(self.position) is None:  # gather what the window brings
                await asyncio.sleep(BATCH_WINDOW_S)
            if self.is_behind():
                yield self._lagged().as_sse
                return
            stream_end = log.stream_end_from(self.position)
            stop = log.end if stream_end is None else stream_end
            batch = log.sse_bytes(self.position, stop)
            self.position = stop
            yield batch
            if stream_end is not None:
                return

    def _lagged(self) -> LaggedEvent:
        behind = self._log.end - self.position
        self.position = self._log.end
        self._log.listeners.discard(self)
        return LaggedEvent(job_id=self._job_id, behind=behind)


class EventBus:
    """Fan job events out to every listener of that job."""

    def __init__(self) -> None:
        self._logs: dict[str, _JobLog] = {}
        self._in_flight: dict[str, set[asyncio.Future[None]]] = {}

    @contextmanager
    def in_flight(self, job_id: str) -> Iterator[None]:
        """Marks a write of the job's results whose events are published once it is stored,
        before the block ends: a terminal status waits for it (until_published)."""
        published = asyncio.get_running_loop().create_future()
        writes = self._in_flight.setdefault(job_id, set())
        writes.add(published)
        try:
            yield
        finally:
            published.set_result(None)
            writes.discard(published)
            if not writes:
                self._in_flight.pop(job_id, None)

    async def until_published(self, job_id: str) -> None:
        """Wait for the job's writes in flight to publish their events: a write stored before
        the job ended has its events heard before the job's end."""
        writes = self._in_flight.get(job_id)
        if writes:
            await asyncio.wait(set(writes))

    def events_held(self, job_id: str) -> int:
        """How many of the job's events the bus keeps in memory for its listeners."""
        log = self._logs.get(job_id)
        return 0 if log is None else len(log.events)

    def publish(self, event: JobEvent) -> None:
        log = self._logs.get(event.job_id)
        if log is not None:  # a job nobody listens to keeps no events
            log.append(event)

    @asynccontextmanager
    async def subscribe(self, job_id: str, *, backlog: int = 0) -> AsyncIterator[Subscription]:
        """The job's events from now on; with a `backlog`, a listener that falls that many
        behind gets a LaggedEvent and nothing more (0: no bound)."""
        log = self._logs.setdefault(job_id, _JobLog())
        subscription = Subscription(log, job_id, backlog)
        log.listeners.add(subscription)
        try:
            yield subscription
        finally:
            log.listeners.discard(subscription)
            if not log.listeners and self._logs.get(job_id) is log:
                del self._logs[job_id]
