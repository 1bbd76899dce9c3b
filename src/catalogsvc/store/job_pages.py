"""A job's files and papers a page at a time, read as plain values (a job may hold 10,000 of
each): the job's existence and its page in one connection, its rows in position or id order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import col

from catalogsvc.domain import Paper
from catalogsvc.store.models import JobFileRow, JobRow, PaperRow

_FILE_COLUMNS = [
    col(JobFileRow.position),
    col(JobFileRow.file_name),
    col(JobFileRow.state),
    col(JobFileRow.error),
    col(JobFileRow.worker),
    col(JobFileRow.paper_id),
]
_PAPER_TABLE = PaperRow.__table__.columns  # type: ignore[attr-defined]
_PAPER_COLUMNS = [_PAPER_TABLE[name] for name in Paper.model_fields]


def files_page(
    engine: Engine, job_id: str, owner: str | None, after: int | None, limit: int | None
) -> list[dict[str, Any]] | None:
    """The job's files after position `after`, in order (None: no such job for `owner`)."""
    query = select(*_FILE_COLUMNS).where(col(JobFileRow.job_id) == job_id)
    if after is not None:
        query = query.where(col(JobFileRow.position) > after)
    query = query.order_by(col(JobFileRow.position)).limit(limit)
    return _page(engine, job_id, owner, query)


def papers_page(
    engine: Engine, job_id: str, owner: str | None, after: int | None, limit: int | None
) -> list[dict[str, Any]] | None:
    """The job's papers with ids above `after`, oldest first (None: no such job)."""
    query = select(*_PAPER_COLUMNS).where(col(PaperRow.job_id) == job_id)
    if after is not None:
        query = query.where(col(PaperRow.id) > after)
    query = query.order_by(col(PaperRow.id)).limit(limit)
    return _page(engine, job_id, owner, query)


def _page(
    engine: Engine, job_id: str, owner: str | None, query: Any
) -> list[dict[str, Any]] | None:
    job = select(col(JobRow.seq)).where(col(JobRow.id) == job_id)
    if owner is not None:
        job = job.where(col(JobRow.owner) == owner)
    with engine.connect() as connection:
        if connection.execute(job).first() is None:
            return None
        return [dict(row._mapping) for row in connection.execute(query)]
