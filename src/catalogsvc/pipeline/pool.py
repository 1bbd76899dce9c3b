"""A pool of extraction worker processes that survives crashing and hanging PDFs.

Each worker runs one file at a time. A worker that dies, exceeds the per-file
timeout, or whose caller is cancelled is killed and replaced; only its file fails.
A memory limit per worker turns a file that would exhaust the machine into a failed file.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import resource
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TypeVar, cast

from catalogsvc.domain import ExtractedPaper
from catalogsvc.errors import CatalogError, ExtractionFailed, InvalidPDF

ExtractFn = Callable[[str], ExtractedPaper]
T = TypeVar("T")


def _worker_main(connection: Connection, memory_limit_mb: int | None) -> None:
    # The server handles Ctrl-C; a worker must not die of it mid-file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_limit_mb is not None and sys.platform == "linux":
        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        read, path = request
        try:
            connection.send(("ok", read(path)))
        except InvalidPDF as exc:
            connection.send(("invalid", exc.detail))
        except MemoryError:
            needed = (
                f"more than {memory_limit_mb} MB (CATALOGSVC_WORKER_MEMORY_MB)"
                if memory_limit_mb is not None
                else "more memory than the machine had"
            )
            connection.send(("error", f"the file needed {needed}"))
        except Exception as exc:  # any failure of one file is reported, never fatal to the worker
            connection.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


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
            ["catalogsvc.pipeline.extract", "catalogsvc.pipeline.first_page"]
        )
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._replacing: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        for _ in range(self.size):
            await self._add_worker()

    async def close(self) -> None:
        await asyncio.gather(*self._replacing, return_exceptions=True)
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                worker.connection.send(None)
        await asyncio.gather(*(asyncio.to_thread(self._stop, w) for w in list(self._all)))
        self._all.clear()

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
        worker = await self._idle.get()
        if on_start is not None:
            on_start()
        healthy = False
        try:
            request = (read, path)
            result = await asyncio.wait_for(self._ask(worker, request), timeout=self._timeout_s)
            healthy = True
        except TimeoutError:
            raise ExtractionFailed(
                f"extraction took longer than {self._timeout_s:g} s (CATALOGSVC_FILE_TIMEOUT_S)"
            ) from None
        except EOFError:
            code = worker.process.exitcode
            raise ExtractionFailed(f"the extraction worker crashed (exit code {code})") from None
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace_later(worker)
        return cast(T, _unpack(result))

    async def _ask(self, worker: _Worker, request: tuple[object, str]) -> tuple[str, object]:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.connection.fileno()
        loop.add_reader(fd, _resolve, ready)
        try:
            worker.connection.send(request)
            await ready
        finally:
            loop.remove_reader(fd)
        answer: tuple[str, object] = worker.connection.recv()
        return answer

    def _replace_later(self, worker: _Worker) -> None:
        """Kill the worker now; reap it and start its successor without holding up the caller."""
        self._all.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        task = asyncio.create_task(self._replace(worker))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _replace(self, worker: _Worker) -> None:
        await asyncio.to_thread(worker.kill)
        await self._add_worker()

    async def _add_worker(self) -> None:
        worker = await asyncio.to_thread(self._spawn)
        self._all.add(worker)
        self._idle.put_nowait(worker)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main, args=(child, self._memory_limit_mb), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.kill()
        worker.connection.close()


def _resolve(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)


def _unpack(result: tuple[str, object]) -> object:
    kind, value = result
    if kind == "ok":
        return value
    if kind == "invalid":
        raise InvalidPDF(str(value))
    if kind == "error":
        raise ExtractionFailed(str(value))
    raise CatalogError(f"unexpected answer from an extraction worker: {kind}")
