"""The read path of jobs, asked far more often than jobs are started: one job, or a page of
the history, each with its progress (PROGRESS_COLUMNS) in one statement, built once and run
through SQLAlchemy Core (no ORM state to build per row)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Engine, Select, bindparam, select
from sqlmodel import col

from catalogsvc.domain import JobStatus
from catalogsvc.store.models import JobRow
from catalogsvc.store.progress_counts import PROGRESS_COLUMNS
from catalogsvc.store.records import Progress
from catalogsvc.store.snapshot import JOB_VIEW_FIELDS, JobSnapshot, JobView

_COLUMNS = {column.name: column for column in JobRow.__table__.columns}  # type: ignore[attr-defined]
_SHOWN = [_COLUMNS[name] for name in JOB_VIEW_FIELDS]
# A page of the history names each job's taxonomy; its categories stay in the job's own view.
_TAXONOMY_AT = JOB_VIEW_FIELDS.index("taxonomy")
_LISTED = [
    JobRow.taxonomy["name"].as_string() if column.name == "taxonomy" else column
    for column in _SHOWN
]
_ONE_JOB = select(*_SHOWN, *PROGRESS_COLUMNS).where(col(JobRow.id) == bindparam("job_id"))
_ONE_OWNED_JOB = _ONE_JOB.where(col(JobRow.owner) == bindparam("owner"))


def read_job(engine: Engine, job_id: str, owner: str | None) -> JobSnapshot | None:
    """The job (if `owner`, given, owns it) and its progress, as one read saw them."""
    query = _ONE_JOB if owner is None else _ONE_OWNED_JOB
    with engine.connect() as connection:
        row = connection.execute(query, {"job_id": job_id, "owner": owner}).first()
    return None if row is None else _snapshot(tuple(row))


def read_history(
    engine: Engine,
    *,
    statuses: Sequence[JobStatus],
    kind: str | None,
    owner: str | None,
    limit: int,
    before_seq: int | None,
) -> list[JobSnapshot]:
    """A page of jobs, newest first, each with its taxonomy's name only."""
    query = _history_query(
        bool(statuses), kind is not None, owner is not None, before_seq is not None
    )
    values = {
        "statuses": [s.value for s in statuses],
        "kind": kind,
        "owner": owner,
        "before_seq": before_seq,
        "limit": limit,
    }
    with engine.connect() as connection:
        rows = connection.execute(query, values).all()
    at = _TAXONOMY_AT
    return [_snapshot((*row[:at], {"name": row[at]}, *row[at + 1 :])) for row in rows]


@cache
def _history_query(statuses: bool, kind: bool, owner: bool, before: bool) -> Select[Any]:
    """The history's statement for the filters asked, built once: only values change."""
    query: Select[Any] = select(*_LISTED, *PROGRESS_COLUMNS)
    if statuses:
        query = query.where(col(JobRow.status).in_(bindparam("statuses", expanding=True)))
    if kind:
        query = query.where(col(JobRow.kind) == bindparam("kind"))
    if owner:
        query = query.where(col(JobRow.owner) == bindparam("owner"))
    if before:
        query = query.where(col(JobRow.seq) < bindparam("before_seq"))
    return query.order_by(col(JobRow.seq).desc()).limit(bindparam("limit"))


def _snapshot(values: tuple[Any, ...]) -> JobSnapshot:
    """A row of the job's fields (in JobView's order) followed by its four counts."""
    shown = len(JOB_VIEW_FIELDS)
    return JobSnapshot(JobView._make(values[:shown]), Progress(*values[shown:]))
