"""A pool of extraction worker processes that survives crashing and hanging PDFs.

Each worker runs one file at a time. A worker that dies, exceeds the per-file
timeout, or whose caller is cancelled is killed and replaced; only its file fails.
A memory limit per worker turns a file that would exhaust the machine into a failed file.

Each worker has a thread of its own that takes files from the pool's queue, sends them and
hands the answers to the caller's event loop. While every worker is busy, a worker's next
files already wait in its pipe as it reads one (as many as its pace calls for: pipe_pace).
A file is `started` when its worker begins it, and the per-file timeout counts from then.
Pipes are only ever read in these threads: uvloop leaves a descriptor it watched
non-blocking, which breaks large answers.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar, cast

from catalogsvc.domain import ExtractedPaper
from catalogsvc.extraction.pipe_pace import PipePace
from catalogsvc.extraction.pool_request import PoolRequest
from catalogsvc.extraction.pool_worker import (
    ExtractFn,
    WorkerProcess,
    unpack_answer,
    worker_main,
)

__all__ = ["ExtractFn", "ExtractionPool"]

T = TypeVar("T")
log = logging.getLogger("catalogsvc.extraction")
CLOSE_GRACE_S = 2.0


class ExtractionPool:
    """Run `extract(path)`, or any other reading of one PDF, in worker processes with a
    timeout; async and cancellable."""

    def __init__(
        self,
        extract: ExtractFn,
        *,
        size: int,
        timeout_s: float,
        memory_limit_mb: int | None = None,
    ) -> None:
        self.size = size
        self._extract = extract
        self._timeout_s = timeout_s
        self._memory_limit_mb = memory_limit_mb
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(
            ["catalogsvc.extraction.extract", "catalogsvc.extraction.first_page"]
        )
        self._requests: queue.SimpleQueue[PoolRequest | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0  # worker threads waiting for a request
        self._closing = False
        self._threads: list[threading.Thread] = []
        self._workers: set[WorkerProcess] = set()

    async def start(self) -> None:
        # A process that ends without close() (an error on its way out) would wait for ever
        # at exit: multiprocessing joins its workers, which ignore SIGTERM. Killed first.
        atexit.register(self._kill_workers)
        for n in range(self.size):
            worker = await asyncio.to_thread(self._spawn)
            thread = threading.Thread(
                target=self._serve, args=(worker,), name=f"pool-pipe_{n}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    async def close(self) -> None:
        """Stop the workers once they have answered what they read; after CLOSE_GRACE_S,
        kill those still reading (their callers get a crash)."""
        with self._lock:
            self._closing = True
        for _ in self._threads:
            self._requests.put(None)
        await asyncio.to_thread(self._join_threads)
        self._threads.clear()
        atexit.unregister(self._kill_workers)

    def _kill_workers(self) -> None:
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.kill()

    def _join_threads(self) -> None:
        deadline = time.monotonic() + CLOSE_GRACE_S
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
        self._kill_workers()  # those still reading
        for thread in self._threads:
            thread.join()
        while True:  # what no worker took: its callers are told, not left waiting
            try:
                request = self._requests.get_nowait()
            except queue.Empty:
                return
            if request is not None:
                request.settle(("stopped", None))

    @property
    def queued(self) -> int:
        """How many readings wait for a worker (not counting those in a worker's pipe)."""
        return self._requests.qsize()

    async def extract(
        self, path: str, *, on_start: Callable[[], None] | None = None
    ) -> ExtractedPaper:
        """Extract one file; raise InvalidPDF or ExtractionFailed with a message on failure.
        `on_start` is called when a worker takes the file, after any wait for a free one."""
        return await self.run(self._extract, path, on_start=on_start)

    async def run(
        self, read: Callable[[str], T], path: str, *, on_start: Callable[[], None] | None = None
    ) -> T:
        """`read(path)` in a worker; `read` must be picklable (a module-level function)."""
        request = PoolRequest(read, path, on_start, asyncio.get_running_loop())
        self._requests.put(request)
        try:
            answer = await request.answer
        except asyncio.CancelledError:
            self._abandon(request)
            raise
        return cast(T, unpack_answer(answer))

    def _abandon(self, request: PoolRequest) -> None:
        """Nobody waits for this reading any more: a worker reading it is killed at once (one
        that has it only waiting in its pipe is killed when it begins it)."""
        with self._lock:
            request.abandoned = True
            reading = request.worker if request.reading and not request.answered else None
        if reading is not None:
            reading.kill()

    def _take(self, *, wait: bool) -> PoolRequest | None:
        """The next request not abandoned; None when the pool closes or (without `wait`)
        when there is none, or another worker is idle and should take it instead."""
        while True:
            if wait:
                with self._lock:
                    self._idle += 1
                request = self._requests.get()
                with self._lock:
                    self._idle -= 1
            else:
                with self._lock:
                    if self._idle or self._closing:
                        return None
                try:
                    request = self._requests.get_nowait()
                except queue.Empty:
                    return None
            if request is None:
                if not wait:
                    self._requests.put(None)  # the closing is another thread's to see
                return None
            if not request.abandoned:
                return request

    def _serve(self, worker: WorkerProcess) -> None:
        """One worker's thread, until the pool closes: send it files, as many ahead as its
        pace calls for, and hand over its answers; replace it after a crash, a timeout or a
        cancel (it may still be reading a file nobody waits for): the new one gets the next
        of its unread files, the queue the rest."""
        sent: deque[PoolRequest] = deque()
        began = 0.0
        pace = PipePace()
        while True:
            if not sent:
                if (request := self._take(wait=True)) is None:
                    break
                worker = self._alive(worker)
                self._send(worker, [request], sent)
                began = time.monotonic()
            ahead: list[PoolRequest] = []
            wanted = pace.files_to_add(len(sent), queued=self.queued, other_workers=self.size - 1)
            while len(ahead) < wanted and (next_one := self._take(wait=False)) is not None:
                ahead.append(next_one)
            if ahead:
                self._send(worker, ahead, sent)
            answer = worker.answer(began)
            pace.took(time.monotonic() - began)
            done = sent.popleft()
            with self._lock:
                done.answered = True
                abandoned = done.abandoned
            if not abandoned:
                done.settle(answer)
            if abandoned or answer[0] in ("crashed", "timeout"):
                if self._closing:
                    for left in sent:
                        left.settle(("stopped", None))
                    break
                worker, sent = self._replace(worker, sent)
                began = time.monotonic()
            elif sent:
                self._begin(worker, sent[0])
                began = time.monotonic()
        self._forget(worker, stop=True)

    def _replace(
        self, worker: WorkerProcess, sent: deque[PoolRequest]
    ) -> tuple[WorkerProcess, deque[PoolRequest]]:
        """A new worker in place of one that crashed, timed out or was killed, with the next
        of its unread files; the others go back to the queue, for whichever worker frees first."""
        self._forget(worker)
        worker = self._spawn_again()
        unread, sent = [left for left in sent if not left.abandoned], deque()
        for left in unread[1:]:
            self._requests.put(left)
        if unread:
            self._send(worker, unread[:1], sent)
        return worker, sent

    def _forget(self, worker: WorkerProcess, *, stop: bool = False) -> None:
        with self._lock:
            self._workers.discard(worker)
        if stop:
            worker.stop()
        else:
            worker.dispose()

    def _send(
        self, worker: WorkerProcess, requests: list[PoolRequest], sent: deque[PoolRequest]
    ) -> None:
        """Put the requests in the worker's pipe in one write; begin the first if none was."""
        with self._lock:
            for request in requests:
                request.worker = worker
        worker.send([(request.read, request.path) for request in requests])
        if not sent:
            self._begin(worker, requests[0])
        sent.extend(requests)

    def _begin(self, worker: WorkerProcess, request: PoolRequest) -> None:
        """The worker begins the request (its last answer is in): it is `started`, or killed
        when abandoned meanwhile."""
        with self._lock:
            request.reading = True
            abandoned = request.abandoned
        if abandoned:
            worker.kill()
        else:
            request.report_start()

    def _alive(self, worker: WorkerProcess) -> WorkerProcess:
        """The idle worker, or one in its place if it died while idle (killed, say): the file
        sent to it would fail for nothing."""
        if worker.process.is_alive():
            return worker
        self._forget(worker)
        return self._spawn_again()

    def _spawn_again(self) -> WorkerProcess:
        """A worker in place of one that ended; tried again each second while the system
        refuses a new process (no memory, too many processes)."""
        while True:
            try:
                return self._spawn()
            except OSError:
                if self._closing:
                    raise
                log.exception("could not start an extraction worker; trying again in 1 s")
                time.sleep(1)

    def _spawn(self) -> WorkerProcess:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main, args=(child, self._memory_limit_mb, os.getpid()), daemon=True
        )
        process.start()
        child.close()
        worker = WorkerProcess(process, parent, self._timeout_s)
        with self._lock:
            self._workers.add(worker)
        return worker
