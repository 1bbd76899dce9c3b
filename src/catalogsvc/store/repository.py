"""The Store: every read and write of jobs, files and papers, over any SQLAlchemy engine.

Methods are synchronous and short; async callers run them with asyncio.to_thread.
Only JobService calls `transition`, the one place where a job's status changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Update, or_, update
from sqlmodel import Session, col, select

from catalogsvc.domain import (
    ACTIVE_STATUSES,
    CategoryAssignment,
    ExtractedPaper,
    FileState,
    JobStatus,
    Paper,
)
from catalogsvc.errors import StorageFull
from catalogsvc.store import (
    answer_cache,
    file_results,
    job_deletion,
    new_jobs,
    progress_counts,
    queue_steps,
)
from catalogsvc.store.disk_space import DiskReserve
from catalogsvc.store.file_results import StoredFile
from catalogsvc.store.keyset import page_after
from catalogsvc.store.models import JobFileRow, JobRow, PaperRow
from catalogsvc.store.records import JobPaths, NewFile, Progress
from catalogsvc.store.row_guards import hold_running_job

__all__ = ["NewFile", "Progress", "Store", "to_paper"]

T = TypeVar("T")


READ_THREADS = 4


class Store:
    """Persistence for jobs, their files and papers.

    With a disk reserve, the writes that end or delete a job give it up when the disk is
    full and try once more, so a full disk never leaves a job active or undeletable.
    """

    def __init__(self, engine: Engine, reserve: DiskReserve | None = None) -> None:
        self.engine = engine
        self.reserve = reserve
        # Reads of the API's read path run on threads of their own, never queued behind the
        # writes of running jobs on the event loop's shared ones (asyncio.to_thread).
        self._readers = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="store-read")

    async def read(self, read: Callable[[], T]) -> T:
        """`read()` on the store's reading threads (its threads start on first use)."""
        return await asyncio.get_running_loop().run_in_executor(self._readers, read)

    def close(self) -> None:
        self._readers.shutdown(wait=False)

    def create_job(
        self,
        job: JobRow,
        files: Sequence[NewFile],
        *,
        resumes: bool = False,
        then: new_jobs.AfterCreate | None = None,
    ) -> bool:
        """Insert a job with its files (and papers carried over from a parent) in one commit.

        A job with a parent is created only while the parent exists and has ended; one that
        `resumes` its parent only if no other job resumed it first. False, creating nothing,
        otherwise: the parent's row is held until the commit, so a DELETE or a second resume
        racing this one waits and then sees the child. `then` runs in the same transaction,
        with the job's id and its pending files' ids (e.g. to queue their work).
        """
        with Session(self.engine, expire_on_commit=False) as session:
            if not new_jobs.create_job(session, job, files, resumes=resumes, then=then):
                return False
            session.commit()
            return True

    def get_job(self, job_id: str) -> JobRow | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.exec(select(JobRow).where(JobRow.id == job_id)).first()

    def list_jobs(
        self,
        *,
        statuses: Sequence[JobStatus] = (),
        kind: str | None = None,
        owner: str | None = None,
        limit: int = 50,
        before_seq: int | None = None,
    ) -> list[JobRow]:
        query = select(JobRow).order_by(col(JobRow.seq).desc()).limit(limit)
        if statuses:
            query = query.where(col(JobRow.status).in_([s.value for s in statuses]))
        if kind:
            query = query.where(JobRow.kind == kind)
        if owner is not None:
            query = query.where(JobRow.owner == owner)
        if before_seq is not None:
            query = query.where(col(JobRow.seq) < before_seq)
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(query).all())

    def jobs_with_status(self, statuses: Iterable[JobStatus]) -> list[JobRow]:
        query = select(JobRow).where(col(JobRow.status).in_([s.value for s in statuses]))
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(query).all())

    def statuses(self, job_ids: Sequence[str]) -> dict[str, JobStatus]:
        query = select(JobRow.id, JobRow.status).where(col(JobRow.id).in_(job_ids))
        with Session(self.engine) as session:
            return {job_id: JobStatus(status) for job_id, status in session.exec(query).all()}

    def transition(
        self,
        job_id: str,
        allowed: Iterable[JobStatus],
        values: dict[str, Any],
        *,
        lease_expired_before: datetime | None = None,
    ) -> bool:
        """Apply `values` only if the job's status is in `allowed` (and, if given, its lease
        was last renewed before `lease_expired_before`); report whether it won."""
        statement = (
            update(JobRow)
            .where(col(JobRow.id) == job_id)
            .where(col(JobRow.status).in_([s.value for s in allowed]))
            .values(**values)
        )
        if lease_expired_before is not None:
            renewed = col(JobRow.lease_renewed_at)
            statement = statement.where(or_(renewed.is_(None), renewed < lease_expired_before))
        return self._using_reserve_if_full(lambda: self._write(statement)) > 0

    def renew_leases(self, replica: str, now: datetime) -> int:
        """Renew the leases of the active jobs `replica` holds; how many it holds."""
        statement = (
            update(JobRow)
            .where(col(JobRow.replica) == replica)
            .where(col(JobRow.status).in_([s.value for s in ACTIVE_STATUSES]))
            .values(lease_renewed_at=now)
        )
        return self._write(statement)

    def update_running_job(self, job_id: str, values: dict[str, Any]) -> bool:
        """Record phase and timings of a job that is still running; no-op once it ended."""
        return self.transition(job_id, (JobStatus.running,), values)

    def progress(self, job_ids: Sequence[str]) -> dict[str, Progress]:
        """Counts per job from its file rows, in one statement so that they agree."""
        return progress_counts.job_progress(self.engine, job_ids)

    def list_files(
        self,
        job_id: str,
        states: Sequence[FileState] = (),
        ids: Collection[int] | None = None,
        *,
        after: int | None = None,
        limit: int | None = None,
    ) -> list[JobFileRow]:
        """The job's files in order, of the given states and (if given) ids; with `after` (a
        position) and `limit`, a page of them."""
        query = select(JobFileRow).where(JobFileRow.job_id == job_id)
        if states:
            query = query.where(col(JobFileRow.state).in_([s.value for s in states]))
        if ids is not None:
            query = query.where(col(JobFileRow.id).in_(ids))
        query = page_after(query, col(JobFileRow.position), after, limit)
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(query).all())

    def record_extracted_batch(
        self, job_id: str, files: Sequence[tuple[JobFileRow, ExtractedPaper]], *, worker: str
    ) -> list[StoredFile | None] | None:
        """Store the files' papers in one transaction (file_results.store_extracted_batch):
        for each, its outcome or None when another worker stored it first; None once the
        job has ended."""
        return file_results.store_extracted_batch(self.engine, job_id, files, worker)

    def record_file_outcome(
        self,
        job_id: str,
        file_id: int,
        state: FileState,
        error: str | None,
        *,
        worker: str | None = None,
    ) -> bool:
        """Record a file that stored no paper; False, recording nothing, once the job ended."""
        return file_results.store_outcome(self.engine, job_id, file_id, state, error, worker)

    def list_papers(
        self, job_id: str, *, after: int | None = None, limit: int | None = None
    ) -> list[Paper]:
        """The job's papers, oldest first; with `after` and `limit`, a page of them."""
        query = page_after(
            select(PaperRow).where(PaperRow.job_id == job_id), col(PaperRow.id), after, limit
        )
        with Session(self.engine) as session:
            return [to_paper(row) for row in session.exec(query).all()]

    def set_categories(
        self, job_id: str, assignments: Sequence[tuple[int, CategoryAssignment]]
    ) -> bool:
        """Store categories of the job's papers; False, storing nothing, once the job ended."""
        with Session(self.engine) as session:
            if not hold_running_job(session, job_id):
                return False
            answers = dict(assignments)
            query = select(PaperRow).where(col(PaperRow.id).in_(answers), PaperRow.job_id == job_id)
            for row in session.exec(query).all():
                assert row.id is not None
                row.category, row.category_score = answers[row.id].category, answers[row.id].score
                # The classifier's answer replaces whatever a user had set.
                row.sources = {k: v for k, v in row.sources.items() if k != "category"}
                session.add(row)
            session.commit()
            return True

    def job_paths(self, job_id: str) -> JobPaths:
        """The job's input paths, split by whether another job still reads them."""
        return job_deletion.job_paths(self.engine, job_id)

    def delete_job(self, job_id: str) -> JobPaths:
        """Remove a job, its files and papers; its input paths as they stood at the delete."""
        return self._using_reserve_if_full(lambda: job_deletion.delete_job(self.engine, job_id))

    def finish_extraction(
        self, job_id: str, then: Callable[[Session], None], timings: dict[str, float]
    ) -> bool:
        """Queue mode: the last batch moves the job to classifying and runs `then` with it."""
        return queue_steps.finish_extraction(self.engine, job_id, then, timings)

    def _using_reserve_if_full(self, write: Callable[[], T]) -> T:
        try:
            return write()
        except StorageFull:
            if self.reserve is None or not self.reserve.release():
                raise
        return write()

    def cached_categories(
        self, sha256s: Sequence[str], taxonomy_key: str, model: str
    ) -> dict[str, CategoryAssignment]:
        return answer_cache.cached_categories(self.engine, sha256s, taxonomy_key, model)

    def cache_categories(
        self, entries: dict[str, CategoryAssignment], taxonomy_key: str, model: str
    ) -> None:
        answer_cache.cache_categories(self.engine, entries, taxonomy_key, model)

    def _write(self, statement: Update) -> int:
        """Run one UPDATE in its own commit; how many rows it changed."""
        with Session(self.engine) as session:
            result = session.exec(statement)
            session.commit()
            return int(result.rowcount)


def to_paper(row: PaperRow) -> Paper:
    return Paper.model_validate(row.model_dump())
