"""A job's extracted papers stored in batches: while one batch is being written, the papers
that arrive wait and go together in the next transaction, so the store keeps pace with the
extraction processes however fast they read."""

from __future__ import annotations

import asyncio

from catalogsvc.domain import ExtractedPaper
from catalogsvc.jobs.cancel_scope import JobCancelled
from catalogsvc.store.file_results import FileAlreadyEnded, StoredFile
from catalogsvc.store.models import JobFileRow
from catalogsvc.store.repository import Store

_Waiting = tuple[JobFileRow, ExtractedPaper, "asyncio.Future[StoredFile]"]


class PaperRecorder:
    """Store one job's extracted papers, one writer at a time, each write taking all that
    arrived while the last one ran."""

    def __init__(self, store: Store, job_id: str, worker: str) -> None:
        self._store = store
        self._job_id = job_id
        self._worker = worker
        self._waiting: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, file: JobFileRow, extracted: ExtractedPaper) -> StoredFile:
        """The file's outcome once its batch is stored. FileAlreadyEnded when another worker
        stored the file first; JobCancelled when the job ended meanwhile (nothing stored)."""
        stored: asyncio.Future[StoredFile] = asyncio.get_running_loop().create_future()
        self._waiting.append((file, extracted, stored))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_while_waiting())
        return await stored

    async def _write_while_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            files = [(file, extracted) for file, extracted, _ in batch]
            try:
                outcomes = await asyncio.to_thread(
                    self._store.record_extracted_batch, self._job_id, files, worker=self._worker
                )
            except Exception as error:  # the store's failure is each waiting file's
                for *_, stored in batch:
                    if not stored.done():
                        stored.set_exception(error)
                continue
            for (file, _, stored), outcome in zip(
                batch, outcomes or [None] * len(batch), strict=True
            ):
                if stored.done():  # its caller was cancelled; what was stored stays stored
                    continue
                if outcomes is None:
                    stored.set_exception(JobCancelled())
                elif outcome is None:
                    stored.set_exception(FileAlreadyEnded(f"file {file.id} was ended elsewhere"))
                else:
                    stored.set_result(outcome)
