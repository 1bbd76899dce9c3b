"""A job's files and papers a page at a time, read as plain values (a job may hold 10,000 of
each): the job's existence and its page in one connection, its rows in position or id order."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Engine, Text, select, type_coerce
from sqlmodel import col

from catalogsvc.domain import Paper
from catalogsvc.store.keyset import page_after
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
# JSON columns are read as the database gives them (SQLite: text; PostgreSQL decodes them) and
# decoded a column at a time: a decode per value costs more than the query itself.
_JSON_FIELDS = frozenset(
    name for name in Paper.model_fields if isinstance(_PAPER_TABLE[name].type, JSON)
)
_PAPER_COLUMNS = [
    type_coerce(_PAPER_TABLE[name], Text).label(name)
    if name in _JSON_FIELDS
    else _PAPER_TABLE[name]
    for name in Paper.model_fields
]


def files_page(
    engine: Engine, job_id: str, owner: str | None, after: int | None, limit: int | None
) -> list[dict[str, Any]] | None:
    """The job's files after position `after`, in order (None: no such job for `owner`)."""
    query = select(*_FILE_COLUMNS).where(col(JobFileRow.job_id) == job_id)
    query = page_after(query, col(JobFileRow.position), after, limit)
    return _page(engine, job_id, owner, query)


def papers_page(
    engine: Engine, job_id: str, owner: str | None, after: int | None, limit: int | None
) -> list[dict[str, Any]] | None:
    """The job's papers with ids above `after`, oldest first (None: no such job)."""
    query = select(*_PAPER_COLUMNS).where(col(PaperRow.job_id) == job_id)
    query = page_after(query, col(PaperRow.id), after, limit)
    rows = _page(engine, job_id, owner, query)
    if rows and isinstance(rows[0][next(iter(_JSON_FIELDS))], str):  # SQLite gives the text
        for name in _JSON_FIELDS:
            # One decode of the whole column is a fraction of one decode per value.
            decoded = json.loads("[" + ",".join(row[name] for row in rows) + "]")
            for row, value in zip(rows, decoded, strict=True):
                row[name] = value
    return rows


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
