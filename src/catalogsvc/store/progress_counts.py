"""A job's progress, counted from its file rows: the one definition of the four counts, as
columns any read of the jobs table can add (they are subqueries of the job's row, by the
index on the files' job and state, so a row and its counts are one read)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import col

from catalogsvc.domain import FileState
from catalogsvc.store.models import JobFileRow, JobRow
from catalogsvc.store.records import Progress

# A file has ended done, failed or skipped; a done file is the one that stored a paper.
_ENDED = [FileState.done.value, FileState.failed.value, FileState.skipped.value]


def _files(*states: str) -> Any:
    """How many of the job's files are in `states` (all of them if none)."""
    counted = select(func.count()).where(col(JobFileRow.job_id) == col(JobRow.id))
    if states:
        counted = counted.where(col(JobFileRow.state).in_(states))
    return counted.scalar_subquery()


# In Progress's order: files_total, files_done, files_failed, papers.
PROGRESS_COLUMNS = [
    _files().label("files_total"),
    _files(*_ENDED).label("files_done"),
    _files(FileState.failed.value).label("files_failed"),
    _files(FileState.done.value).label("papers"),
]


def job_progress(engine: Engine, job_ids: Sequence[str]) -> dict[str, Progress]:
    """Each job's counts, each job's four read together so that they agree."""
    query = select(col(JobRow.id), *PROGRESS_COLUMNS).where(col(JobRow.id).in_(job_ids))
    counted = {job_id: Progress() for job_id in job_ids}
    with engine.connect() as connection:
        for job_id, *counts in connection.execute(query):
            counted[job_id] = Progress(*counts)
    return counted
