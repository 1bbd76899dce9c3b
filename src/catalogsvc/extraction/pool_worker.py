"""The extraction pool's worker process: it reads one file at a time from its pipe, through
the file it opened, and answers; it ends when the service that started it has gone. And the
pool's end of it (WorkerProcess)."""

from __future__ import annotations

import contextlib
import errno
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
from typing import Any

from catalogsvc.domain import ExtractedPaper
from catalogsvc.errors import CatalogError, ExtractionFailed, InvalidPDF

ExtractFn = Callable[[str], ExtractedPaper]
Answer = tuple[str, object]
NOT_THERE = (
    "The file is not there: it was removed after the job took it, or this machine does not "
    "see it (every worker needs the same data folder and allowed roots as the API)"
)
RELINKED = (
    "not read: the file, or a folder on its path, was replaced by a link after the job took it"
)


_WATCH_INTERVAL_S = 0.5


def worker_main(connection: Connection, memory_limit_mb: int | None, service_pid: int) -> None:
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
            requests = connection.recv()
        except EOFError:
            return
        if requests is None:
            return
        for request in requests:  # one answer each, in order
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


class WorkerProcess:
    """The pool's end of one worker process: its pipe, and killing or stopping it."""

    def __init__(self, process: BaseProcess, connection: Connection, timeout_s: float) -> None:
        self.process = process
        self.connection = connection
        self.timeout_s = timeout_s

    def send(self, requests: list[tuple[object, str]]) -> None:
        """Send requests, answered one by one in order; a worker that died meanwhile says so
        when asked for its answer."""
        with contextlib.suppress(OSError):
            self.connection.send(requests)

    def answer(self, began: float) -> Answer:
        """The answer to the oldest request sent, which the worker `began` then. A worker
        that died, or was killed for a cancel, answers ("crashed", its exit code); one that
        took longer than its timeout is killed and answers ("timeout", the timeout)."""
        try:
            if not self.connection.poll(max(self.timeout_s - (time.monotonic() - began), 0)):
                self.kill()
                return ("timeout", self.timeout_s)
            answer: Answer = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=5)
            return ("crashed", self.process.exitcode)
        return answer

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()

    def dispose(self) -> None:
        """Kill the process, reap it and close its pipe."""
        self.kill()
        self.process.join(timeout=5)
        self.connection.close()

    def stop(self) -> None:
        """Ask an idle worker to exit; kill it if it does not."""
        with contextlib.suppress(Exception):
            self.connection.send(None)
        self.process.join(timeout=2)
        self.dispose()


def unpack_answer(result: Answer) -> object:
    """A worker's answer as the reading's result, or its failure raised."""
    kind, value = result
    if kind == "ok":
        return value
    if kind == "invalid":
        raise InvalidPDF(str(value))
    if kind == "error":
        raise ExtractionFailed(str(value))
    if kind == "timeout":
        raise ExtractionFailed(
            f"extraction took longer than {value:g} s (CATALOGSVC_FILE_TIMEOUT_S)"
        )
    if kind == "stopped":
        raise ExtractionFailed("not read: the service stopped first")
    if kind == "crashed":
        raise ExtractionFailed(f"the extraction worker crashed (exit code {value})")
    raise CatalogError(f"unexpected answer from an extraction worker: {kind}")
