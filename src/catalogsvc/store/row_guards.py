"""Conditions a write holds a job's row on, so that it cannot race the job's end."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from catalogsvc.domain import ACTIVE_STATUSES, JobStatus
from catalogsvc.store.models import JobRow


def hold_running_job(session: Session, job_id: str) -> bool:
    """Whether the job is running, holding its row until the session commits: a job's own
    work is stored only while it runs, and a cancel or fail that comes meanwhile waits for
    this commit (a write lock on SQLite, a row lock on PostgreSQL), so once a terminal row
    is written nothing the job does changes its files or papers again."""
    held = session.connection().execute(  # Core: no ORM bookkeeping on a write per file
        update(JobRow)
        .where(col(JobRow.id) == job_id, col(JobRow.status) == JobStatus.running.value)
        .values(phase=JobRow.phase)
    )
    return int(held.rowcount) > 0


def hold_job(session: Session, job_id: str) -> None:
    """Hold the job's row until the session commits."""
    session.exec(update(JobRow).where(col(JobRow.id) == job_id).values(phase=JobRow.phase))


def hold_parent(session: Session, parent_id: str, resumed_by: str | None) -> bool:
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
