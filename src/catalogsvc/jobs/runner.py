"""JobRunner: one asyncio task per job, at most MAX_CONCURRENT_JOBS running, each cancellable."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

from catalogsvc.errors import CatalogError, StorageFull
from catalogsvc.free_memory import release_free_memory
from catalogsvc.jobs.cancel_scope import CancelScope, JobCancelled, StopReason
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.store.disk_space import is_out_of_space
from catalogsvc.store.models import JobRow

log = logging.getLogger("catalogsvc.jobs")


class TimedWork(Protocol):
    """What the runner needs of a job's pipeline context: the time spent in each phase."""

    def elapsed_timings(self) -> dict[str, float]: ...

    def close_phase(self) -> dict[str, float]: ...


C = TypeVar("C", bound=TimedWork)

SHUTDOWN_REASON = "Interrupted: the server shut down; resume the job to finish it"
# A final state the store refuses (a full disk) is asked again, less and less often.
FINAL_WRITE_FIRST_RETRY_S = 0.5
FINAL_WRITE_MAX_RETRY_S = 30.0


class JobRunner(Generic[C]):
    """Own the running job tasks and their cancel scopes."""

    def __init__(
        self,
        transitions: JobTransitions,
        pipeline: Callable[[C], Awaitable[None]],
        context_factory: Callable[[JobRow, CancelScope], C],
        *,
        max_concurrent_jobs: int,
    ) -> None:
        self._transitions = transitions
        self._pipeline = pipeline
        self._context_factory = context_factory
        self._slots = asyncio.Semaphore(max_concurrent_jobs)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._scopes: dict[str, CancelScope] = {}
        self._contexts: dict[str, C] = {}
        self._started: set[str] = set()
        # Once shutting down, a job created by a request still in flight ends `interrupted`.
        self.stopping = False

    def launch(self, job: JobRow) -> None:
        """Start the job's task; it waits as `queued` until a slot is free."""
        scope = CancelScope()
        if self.stopping:
            scope.stop(StopReason.shutdown)
        self._scopes[job.id] = scope
        task = asyncio.create_task(self._run(job, scope), name=f"job-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda _: self._forget(job.id))

    def stop(self, job_id: str, reason: StopReason) -> None:
        """Fire the job's cancel event; a job still waiting for a slot stops waiting."""
        scope = self._scopes.get(job_id)
        if scope is None:
            return
        scope.stop(reason)
        task = self._tasks.get(job_id)
        if task is not None and job_id not in self._started:
            task.cancel()

    def timings_of(self, job_id: str) -> dict[str, float] | None:
        """The phase timings of a job running here, the current phase's time so far included."""
        context = self._contexts.get(job_id)
        return context.elapsed_timings() if context is not None else None

    async def watch_store(self, interval_s: float) -> None:
        """Stop local jobs whose row another process ended (a cancel through another replica)."""
        while True:
            await asyncio.sleep(interval_s)
            active = [job_id for job_id, scope in self._scopes.items() if not scope.event.is_set()]
            if not active:
                continue
            try:
                ended = await self._transitions.ended_elsewhere(active)
            except Exception:  # a store hiccup must not end the watch; the next round retries
                log.exception("could not read job statuses from the store")
                continue
            for job_id in ended:
                self.stop(job_id, StopReason.user_cancel)

    async def wait(self, job_id: str) -> None:
        """Wait until the job's task has finished (its final state is written)."""
        task = self._tasks.get(job_id)
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)

    async def shutdown(self, grace_s: float = 10.0) -> None:
        """Stop every job as `interrupted` and wait for their final states."""
        self.stopping = True
        tasks = list(self._tasks.values())
        for job_id in list(self._scopes):
            self.stop(job_id, StopReason.shutdown)
        if not tasks:
            return
        _, stuck = await asyncio.wait(tasks, timeout=grace_s)
        for task in stuck:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, job: JobRow, scope: CancelScope) -> None:
        try:
            await self._slots.acquire()
        except asyncio.CancelledError:
            await self._after_stop(job.id, scope, {})
            return
        try:
            self._started.add(job.id)
            if scope.event.is_set() or not await self._transitions.start(job.id):
                await self._after_stop(job.id, scope, {})
                return
            await self._run_started(job, scope)
        finally:
            self._slots.release()
            # What the job held (its papers, its classifier input) goes back to the system.
            await asyncio.shield(asyncio.to_thread(release_free_memory))

    async def _run_started(self, job: JobRow, scope: CancelScope) -> None:
        context = self._context_factory(job, scope)
        self._contexts[job.id] = context
        try:
            await self._pipeline(context)
        except (JobCancelled, asyncio.CancelledError):
            await asyncio.shield(self._after_stop(job.id, scope, context.close_phase()))
            return
        except Exception as exc:
            log.exception("job %s failed", job.id)
            reason = _failure_reason(exc)
            timings = context.close_phase()
            await asyncio.shield(
                _until_stored(lambda: self._transitions.fail(job.id, reason, timings))
            )
            return
        timings = context.close_phase()
        await asyncio.shield(_until_stored(lambda: self._transitions.complete(job.id, timings)))

    async def _after_stop(self, job_id: str, scope: CancelScope, timings: dict[str, float]) -> None:
        # A user cancel was written, with the timings of that moment, before the event fired.
        if scope.reason is not StopReason.user_cancel:
            await _until_stored(
                lambda: self._transitions.interrupt(job_id, SHUTDOWN_REASON, timings=timings)
            )

    def _forget(self, job_id: str) -> None:
        self._tasks.pop(job_id, None)
        self._scopes.pop(job_id, None)
        self._contexts.pop(job_id, None)
        self._started.discard(job_id)


def _failure_reason(error: Exception) -> str:
    """What a failed job's history says: the domain's message, or the error itself."""
    if isinstance(error, OSError) and is_out_of_space(error):
        error = StorageFull.because(error)
    if isinstance(error, CatalogError):
        return error.detail
    return f"{type(error).__name__}: {error}"


async def _until_stored(write: Callable[[], Awaitable[bool]]) -> None:
    """Write a job's final state, asking again while the store refuses it (a full disk gives
    way once its reserve or some space is freed), so that no job stays active for good."""
    delay = FINAL_WRITE_FIRST_RETRY_S
    while True:
        try:
            await write()
            return
        except Exception:
            log.exception("could not record a job's final state; trying again in %g s", delay)
        await asyncio.sleep(delay)
        delay = min(2 * delay, FINAL_WRITE_MAX_RETRY_S)
