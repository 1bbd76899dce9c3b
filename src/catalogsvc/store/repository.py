"""The Store: every read and write of jobs, files and papers, over any SQLAlchemy engine.

Methods are synchronous and short; async callers run them with asyncio.to_thread.
Only JobService calls `transition`, the one place where a job's status changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Update, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from catalogsvc.domain import (
    ACTIVE_STATUSES,
    CategoryAssignment,
    ExtractedPaper,
    FileState,
    JobStatus,
    Paper,
)
from catalogsvc.errors import StorageFull
from catalogsvc.store.disk_space import DiskReserve
from catalogsvc.store.models import ClassificationCacheRow, JobFileRow, JobRow, PaperRow

log = logging.getLogger("catalogsvc.store")

# Each lost race on the cache's unique key means another writer added rows; a few suffice.
CACHE_WRITE_ATTEMPTS = 3
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Progress:
    files_total: int = 0
    files_done: int = 0
    files_failed: int = 0
    papers: int = 0

    def after(self, outcome: FileState) -> Progress:
        """The counts once one more file has ended in `outcome`; a done file stored a paper."""
        return replace(
            self,
            files_done=self.files_done + 1,
            files_failed=self.files_failed + (outcome is FileState.failed),
            papers=self.papers + (outcome is FileState.done),
        )


@dataclass(frozen=True, slots=True)
class NewFile:
    file_name: str
    path: str
    state: FileState = FileState.pending
    error: str | None = None
    paper: Paper | None = None


class Store:
    """Persistence for jobs, their files and papers.

    With a disk reserve, the writes that end or delete a job give it up when the disk is
    full and try once more, so a full disk never leaves a job active or undeletable.
    """

    def __init__(self, engine: Engine, reserve: DiskReserve | None = None) -> None:
        self.engine = engine
        self.reserve = reserve

    def create_job(self, job: JobRow, files: Sequence[NewFile], *, resumes: bool = False) -> bool:
        """Insert a job with its files (and papers carried over from a parent) in one commit.

        A job with a parent is created only while the parent exists and has ended; one that
        `resumes` its parent only if no other job resumed it first. False, creating nothing,
        otherwise: the parent's row is held until the commit, so a DELETE or a second resume
        racing this one waits and then sees the child.
        """
        with Session(self.engine, expire_on_commit=False) as session:
            if job.parent_id is not None and not _hold_parent(
                session, job.parent_id, job.id if resumes else None
            ):
                return False
            session.add(job)
            for position, new_file in enumerate(files):
                paper_id = None
                if new_file.paper is not None:
                    paper = _copy_paper(new_file.paper, job.id)
                    session.add(paper)
                    session.flush()
                    paper_id = paper.id
                session.add(
                    JobFileRow(
                        job_id=job.id,
                        position=position,
                        file_name=new_file.file_name,
                        path=new_file.path,
                        state=new_file.state,
                        error=new_file.error,
                        paper_id=paper_id,
                    )
                )
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
        """Counts per job from its file rows, in one statement so that they agree: a done
        file is the one that stored a paper, so papers are counted with the files."""
        counts: dict[str, dict[str, int]] = {job_id: {} for job_id in job_ids}
        with Session(self.engine) as session:
            rows = session.exec(
                select(JobFileRow.job_id, JobFileRow.state, func.count())
                .where(col(JobFileRow.job_id).in_(job_ids))
                .group_by(col(JobFileRow.job_id), col(JobFileRow.state))
            ).all()
        for job_id, state, count in rows:
            counts[job_id][state] = count
        return {
            job_id: Progress(
                files_total=sum(by_state.values()),
                files_done=sum(by_state.get(s, 0) for s in ("done", "failed", "skipped")),
                files_failed=by_state.get("failed", 0),
                papers=by_state.get("done", 0),
            )
            for job_id, by_state in counts.items()
        }

    def list_files(self, job_id: str, states: Sequence[FileState] = ()) -> list[JobFileRow]:
        query = select(JobFileRow).where(JobFileRow.job_id == job_id)
        if states:
            query = query.where(col(JobFileRow.state).in_([s.value for s in states]))
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(query.order_by(col(JobFileRow.position))).all())

    def record_paper(self, file: JobFileRow, extracted: ExtractedPaper) -> Paper | None:
        """Store the paper of one finished file and mark the file done, in one commit; None,
        storing nothing, once the job has ended."""
        fields = asdict(extracted)
        with Session(self.engine, expire_on_commit=False) as session:
            if not _hold_running_job(session, file.job_id):
                return None
            paper = PaperRow(job_id=file.job_id, file_name=file.file_name, **fields)
            session.add(paper)
            session.flush()
            session.exec(
                update(JobFileRow)
                .where(col(JobFileRow.id) == file.id)
                .values(state=FileState.done.value, error=None, paper_id=paper.id)
            )
            session.commit()
            return to_paper(paper)

    def record_file_outcome(
        self, job_id: str, file_id: int, state: FileState, error: str | None
    ) -> bool:
        """Record a file that stored no paper; False, recording nothing, once the job ended."""
        with Session(self.engine) as session:
            if not _hold_running_job(session, job_id):
                return False
            session.exec(
                update(JobFileRow)
                .where(col(JobFileRow.id) == file_id)
                .values(state=state.value, error=error)
            )
            session.commit()
            return True

    def list_papers(self, job_id: str) -> list[Paper]:
        query = select(PaperRow).where(PaperRow.job_id == job_id).order_by(col(PaperRow.id))
        with Session(self.engine) as session:
            return [to_paper(row) for row in session.exec(query).all()]

    def find_paper_by_sha256(self, job_id: str, sha256: str) -> Paper | None:
        query = select(PaperRow).where(PaperRow.job_id == job_id, PaperRow.sha256 == sha256)
        with Session(self.engine) as session:
            row = session.exec(query).first()
            return to_paper(row) if row else None

    def set_categories(
        self, job_id: str, assignments: Sequence[tuple[int, CategoryAssignment]]
    ) -> bool:
        """Store categories of the job's papers; False, storing nothing, once the job ended."""
        with Session(self.engine) as session:
            if not _hold_running_job(session, job_id):
                return False
            for paper_id, assignment in assignments:
                session.exec(
                    update(PaperRow)
                    .where(col(PaperRow.id) == paper_id, col(PaperRow.job_id) == job_id)
                    .values(category=assignment.category, category_score=assignment.score)
                )
            session.commit()
            return True

    def job_paths(self, job_id: str) -> tuple[list[str], list[str]]:
        """The job's input paths: those no other job reads, and those another job still reads
        (a resumed or reclassified job reads its parent's uploads)."""
        with Session(self.engine) as session:
            paths = set(
                session.exec(select(JobFileRow.path).where(JobFileRow.job_id == job_id)).all()
            )
            still_used = set(
                session.exec(
                    select(JobFileRow.path).where(
                        col(JobFileRow.path).in_(paths), JobFileRow.job_id != job_id
                    )
                ).all()
            )
        return sorted(paths - still_used), sorted(still_used)

    def delete_job(self, job_id: str) -> None:
        """Remove a job, its files and papers."""

        def delete_rows() -> None:
            with Session(self.engine) as session:
                session.exec(delete(PaperRow).where(col(PaperRow.job_id) == job_id))
                session.exec(delete(JobFileRow).where(col(JobFileRow.job_id) == job_id))
                session.exec(delete(JobRow).where(col(JobRow.id) == job_id))
                session.commit()

        self._using_reserve_if_full(delete_rows)

    def _using_reserve_if_full(self, write: Callable[[], T]) -> T:
        try:
            return write()
        except StorageFull:
            if self.reserve is None or not self.reserve.release():
                raise
        return write()

    def _write(self, statement: Update) -> int:
        """Run one UPDATE in its own commit; how many rows it changed."""
        with Session(self.engine) as session:
            result = session.exec(statement)
            session.commit()
            return int(result.rowcount)

    def cached_categories(
        self, sha256s: Sequence[str], taxonomy_key: str, model: str
    ) -> dict[str, CategoryAssignment]:
        with Session(self.engine) as session:
            return _cached_categories(session, sha256s, taxonomy_key, model)

    def cache_categories(
        self, entries: dict[str, CategoryAssignment], taxonomy_key: str, model: str
    ) -> None:
        """Cache the answers not cached yet. The first answer stands: when another job caches
        the same answer between this read and write, the write loses on the unique key and
        is retried with what is still missing. Caching is a saving, so it never raises for
        a lost race."""
        for _ in range(CACHE_WRITE_ATTEMPTS):
            with Session(self.engine) as session:
                known = _cached_categories(session, list(entries), taxonomy_key, model)
                for sha256, assignment in entries.items():
                    if sha256 not in known:
                        session.add(
                            ClassificationCacheRow(
                                sha256=sha256,
                                taxonomy_key=taxonomy_key,
                                model=model,
                                category=assignment.category,
                                score=assignment.score,
                            )
                        )
                try:
                    session.commit()
                    return
                except IntegrityError:
                    session.rollback()
        # The answers are in hand; only the saving for a later run is lost.
        log.warning("gave up caching %d answers after concurrent writes", len(entries))


def _cached_categories(
    session: Session, sha256s: Sequence[str], taxonomy_key: str, model: str
) -> dict[str, CategoryAssignment]:
    query = select(ClassificationCacheRow).where(
        col(ClassificationCacheRow.sha256).in_(sha256s),
        ClassificationCacheRow.taxonomy_key == taxonomy_key,
        ClassificationCacheRow.model == model,
    )
    return {
        row.sha256: CategoryAssignment(row.category, row.score) for row in session.exec(query).all()
    }


def _hold_running_job(session: Session, job_id: str) -> bool:
    """Whether the job is running, holding its row until the session commits: a job's own
    work is stored only while it runs, and a cancel or fail that comes meanwhile waits for
    this commit (a write lock on SQLite, a row lock on PostgreSQL), so once a terminal row
    is written nothing the job does changes its files or papers again."""
    held = session.exec(
        update(JobRow)
        .where(col(JobRow.id) == job_id, col(JobRow.status) == JobStatus.running.value)
        .values(phase=JobRow.phase)
    )
    return int(held.rowcount) > 0


def _hold_parent(session: Session, parent_id: str, resumed_by: str | None) -> bool:
    """Whether the parent exists and has ended (and, for a resume, was not resumed yet),
    holding its row until the session commits; records `resumed_by` on it."""
    statement = update(JobRow).where(
        col(JobRow.id) == parent_id,
        col(JobRow.status).not_in([s.value for s in ACTIVE_STATUSES]),
    )
    if resumed_by is None:
        statement = statement.values(phase=JobRow.phase)
    else:
        statement = statement.where(col(JobRow.resumed_by).is_(None)).values(resumed_by=resumed_by)
    return int(session.exec(statement).rowcount) > 0


def to_paper(row: PaperRow) -> Paper:
    return Paper.model_validate(row.model_dump())


def _copy_paper(paper: Paper, job_id: str) -> PaperRow:
    return PaperRow(job_id=job_id, **paper.model_dump(exclude={"id", "job_id"}))
