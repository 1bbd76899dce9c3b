"""A job's extracted papers stored in batches: while one batch is being written, the papers
that arrive wait and go together in the next transaction, so the store keeps pace with the
extraction processes however fast they read.

A write also waits a moment (GATHER_S) for papers still on their way, unless BATCH_FILES
are waiting already: written as each arrived, a job of small files cost the server a
transaction per file (1.5 ms of its interpreter's time), which slowed the extraction that
waits on it, and any other work on the server (event streams) slowed it more."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from catalogsvc.domain import ExtractedPaper
from catalogsvc.jobs.cancel_scope import JobCancelled
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.store.file_results import FileAlreadyEnded, StoredFile
from catalogsvc.store.models import JobFileRow
from catalogsvc.store.repository import Store

GATHER_S = 0.01
BATCH_FILES = 8

_Waiting = tuple[JobFileRow, ExtractedPaper, "asyncio.Future[StoredFile]"]


class PaperRecorder:
    """Store one job's extracted papers, one writer at a time, each write taking all that
    arrived while the last one ran."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        job_id: str,
        worker: str,
        on_stored: Callable[[list[tuple[JobFileRow, StoredFile]]], None],
    ) -> None:
        self._store = store
        self._bus = bus
        self._job_id = job_id
        self._worker = worker
        self._on_stored = on_stored  # publishes the files' events, in the write's own step
        self._waiting: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None
        self._batch_full: asyncio.Future[None] | None = None

    async def record(self, file: JobFileRow, extracted: ExtractedPaper) -> StoredFile:
        """The file's outcome once its batch is stored. FileAlreadyEnded when another worker
        stored the file first; JobCancelled when the job ended meanwhile (nothing stored)."""
        stored: asyncio.Future[StoredFile] = asyncio.get_running_loop().create_future()
        self._waiting.append((file, extracted, stored))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_while_waiting())
        elif len(self._waiting) >= BATCH_FILES and self._batch_full is not None:
            _settle(self._batch_full, None)
        return await stored

    async def _write_while_waiting(self) -> None:
        while self._waiting:
            await self._gather()
            batch, self._waiting = self._waiting, []
            with self._bus.in_flight(self._job_id):
                try:
                    outcomes = await asyncio.to_thread(
                        self._store.record_extracted_batch,
                        self._job_id,
                        [(file, extracted) for file, extracted, _ in batch],
                        worker=self._worker,
                    )
                except Exception as error:  # the store's failure is each waiting file's
                    for *_, stored in batch:
                        _settle(stored, error)
                    continue
                if outcomes is None:  # the job ended meanwhile: nothing was stored
                    for *_, stored in batch:
                        _settle(stored, JobCancelled())
                    continue
                pairs = list(zip(batch, outcomes, strict=True))
                self._on_stored([(file, done) for (file, *_), done in pairs if done is not None])
                for (file, _, stored), done in pairs:
                    _settle(stored, done or FileAlreadyEnded(f"file {file.id} was ended elsewhere"))

    async def _gather(self) -> None:
        """Wait until BATCH_FILES are waiting, GATHER_S at most."""
        if len(self._waiting) >= BATCH_FILES:
            return
        loop = asyncio.get_running_loop()
        self._batch_full = full = loop.create_future()
        timer = loop.call_later(GATHER_S, _settle, full, None)
        try:
            await full
        finally:
            timer.cancel()
            self._batch_full = None


T = TypeVar("T")


def _settle(stored: asyncio.Future[T], outcome: T | Exception) -> None:
    """Hand a caller its file's outcome; a caller cancelled meanwhile (a shutdown) needs none,
    and what was stored for it stays stored."""
    if stored.done():
        return
    if isinstance(outcome, Exception):
        stored.set_exception(outcome)
    else:
        stored.set_result(outcome)
