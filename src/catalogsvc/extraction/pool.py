"""A pool of extraction worker processes that survives crashing and hanging PDFs.

Each worker runs one file at a time. A worker that dies, exceeds the per-file
timeout, or whose caller is cancelled is killed and replaced; only its file fails.
A memory limit per worker turns a file that would exhaust the machine into a failed file.
Every send and receive on a worker's pipe runs in the pool's own threads, never on the event
loop: uvloop leaves a descriptor it watched non-blocking, which breaks large answers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar, cast

from catalogsvc.domain import ExtractedPaper
from catalogsvc.errors import CatalogError, ExtractionFailed, InvalidPDF

ExtractFn = Callable[[str], ExtractedPaper]
T = TypeVar("T")
NOT_THERE = (
    "The file is not there: it was removed after the job took it, or this machine does not "
    "see it (every worker needs the same data folder and allowed roots as the API)"
)
RELINKED = (
    "not read: the file, or a folder on its path, was replaced by a link after the job took it"
)


_WATCH_INTERVAL_S = 0.5


def _worker_main(connection: Connection, memory_limit_mb: int | None, service_pid: int) -> None:
    # The server handles Ctrl-C and SIGTERM, which a terminal or a service manager sends
    # to the whole process group: a worker must not die of them mid-file (its file would
    # fail); the server stops it when it has no more use for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if memory_limit_mb is not None and sys.platform == "linux":
        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    threading.Thread(target=_exit_after, args=(service_pid,), daemon=True).start()
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        try:
            connection.send(_read_one(request, memory_limit_mb))
        except (BrokenPipeError, ConnectionResetError):
            return  # the service that asked is gone: nobody to answer


def _read_one(request: tuple[ExtractFn, str], memory_limit_mb: int | None) -> tuple[str, Any]:
    read, path = request
    try:
        with _opened_where_taken(path) as readable:
            return ("ok", read(readable))
    except InvalidPDF as exc:
        return ("invalid", exc.detail)
    except MemoryError:
        needed = (
            f"more than {memory_limit_mb} MB (CATALOGSVC_WORKER_MEMORY_MB)"
            if memory_limit_mb is not None
            else "more memory than the machine had"
        )
        return ("error", f"the file needed {needed}")
    except Exception as exc:  # any failure of one file is reported, never fatal to the worker
        return ("error", f"{type(exc).__name__}: {exc}")


def _exit_after(service_pid: int) -> None:
    """End this process once the service that asked for it is gone (killed with SIGKILL,
    say): nobody is left to answer, and a file that never ends would hold it for good. Not
    on the forkserver's end: a service manager signals the whole group, and the service
    drains before it stops its workers."""
    while _running(service_pid):
        time.sleep(_WATCH_INTERVAL_S)
    os._exit(0)


def _running(pid: int) -> bool:
    """Whether the process runs (a zombie, killed and not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return True  # no /proc here: assume it runs
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@contextlib.contextmanager
def _opened_where_taken(path: str) -> Iterator[str]:
    """Jobs store a file's real path when they take it. Open it and check that the opened
    file is still there, then hand the reader the open file (`/proc/self/fd/N`), so that
    swapping the file or a folder on its path for a link, even while it is being read, never
    leads outside the allowed roots."""
    if not os.path.isabs(path) or not os.path.isdir("/proc/self/fd"):
        yield path  # a relative path (the CLI's eval) is read as given
        return
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP or os.path.realpath(path) != path:
            raise InvalidPDF(RELINKED) from error
        if error.errno == errno.ENOENT:
            raise InvalidPDF(NOT_THERE) from error
        raise InvalidPDF(f"The file cannot be read: {error.strerror or error}.") from error
    try:
        opened = f"/proc/self/fd/{descriptor}"
        if os.readlink(opened) != path:
            raise InvalidPDF(RELINKED)
        yield opened
    finally:
        os.close(descriptor)


class _Worker:
    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.exchange: concurrent.futures.Future[tuple[str, object]] | None = None

    def ask(self, request: tuple[object, str]) -> tuple[str, object]:
        """Send one request and wait for its answer, in a pipe thread. A worker that died, or
        was killed for a timeout or a cancel, answers ("crashed", its exit code)."""
        try:
            self.connection.send(request)
            answer: tuple[str, object] = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=5)
            return ("crashed", self.process.exitcode)
        return answer

    def dispose(self) -> None:
        """Kill the process, let its pipe thread see the end, then reap it and close its pipe
        (closing a pipe another thread still reads could hand its number to a new file)."""
        with contextlib.suppress(Exception):
            self.process.kill()
        if self.exchange is not None:
            concurrent.futures.wait([self.exchange])
        self.process.join(timeout=5)
        self.connection.close()

    def stop(self) -> None:
        """Ask an idle worker to exit; kill it if it does not."""
        with contextlib.suppress(Exception):
            self.connection.send(None)
        self.process.join(timeout=2)
        self.dispose()


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
        # One thread per worker waits on its pipe; the default executor is left to the store.
        self._pipes = concurrent.futures.ThreadPoolExecutor(size, thread_name_prefix="pool-pipe")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._replacing: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        for _ in range(self.size):
            await self._add_worker()

    async def close(self) -> None:
        await asyncio.gather(*self._replacing, return_exceptions=True)
        await asyncio.gather(*(asyncio.to_thread(w.stop) for w in list(self._all)))
        self._all.clear()
        await asyncio.to_thread(self._pipes.shutdown)

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
        worker.exchange = self._pipes.submit(worker.ask, (read, path))
        exchange = asyncio.wrap_future(worker.exchange)
        # The worker goes back the moment its answer is in, before this task resumes: the
        # next file reaches it a turn of the event loop sooner, however busy the loop is.
        exchange.add_done_callback(lambda ended: self._release(worker, ended))
        try:
            result = await asyncio.wait_for(exchange, timeout=self._timeout_s)
        except TimeoutError:
            raise ExtractionFailed(
                f"extraction took longer than {self._timeout_s:g} s (CATALOGSVC_FILE_TIMEOUT_S)"
            ) from None
        return cast(T, _unpack(result))

    def _release(self, worker: _Worker, exchange: asyncio.Future[tuple[str, object]]) -> None:
        """An idle worker again after a healthy answer; replaced after a crash, a timeout or
        a cancel (it may still be reading a file nobody waits for)."""
        answered = not exchange.cancelled() and exchange.exception() is None
        if answered and exchange.result()[0] != "crashed":
            self._idle.put_nowait(worker)
        else:
            self._replace_later(worker)

    def _replace_later(self, worker: _Worker) -> None:
        """Kill the worker now; reap it and start its successor without holding up the caller."""
        self._all.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        task = asyncio.create_task(self._replace(worker))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _replace(self, worker: _Worker) -> None:
        await asyncio.to_thread(worker.dispose)
        await self._add_worker()

    async def _add_worker(self) -> None:
        worker = await asyncio.to_thread(self._spawn)
        self._all.add(worker)
        self._idle.put_nowait(worker)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main, args=(child, self._memory_limit_mb, os.getpid()), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)


def _unpack(result: tuple[str, object]) -> object:
    kind, value = result
    if kind == "ok":
        return value
    if kind == "invalid":
        raise InvalidPDF(str(value))
    if kind == "error":
        raise ExtractionFailed(str(value))
    if kind == "crashed":
        raise ExtractionFailed(f"the extraction worker crashed (exit code {value})")
    raise CatalogError(f"unexpected answer from an extraction worker: {kind}")
