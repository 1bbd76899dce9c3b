"""Writing a new job: its row, its files and the papers it carries over, in one transaction.

The files go in as Core executemany statements, a page at a time: a folder of 10,000 PDFs
made 10,000 ORM objects at once, whose small allocations the server kept after the job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from catalogsvc.domain import FileState, Paper
from catalogsvc.store.models import JobFileRow, JobRow, PaperRow
from catalogsvc.store.records import NewFile
from catalogsvc.store.row_guards import hold_parent

FILES_PER_INSERT = 1024

# What runs in the new job's transaction once its files are in: given the job's id and the
# ids of its pending files in order (e.g. to queue their work).
AfterCreate = Callable[[Session, str, list[int]], None]


def create_job(
    session: Session,
    job: JobRow,
    files: Sequence[NewFile],
    *,
    resumes: bool,
    then: AfterCreate | None,
) -> bool:
    """Add `job` with its files to the session's transaction; False, adding nothing, when it
    has a parent that no longer exists, has not ended, or (`resumes`) was resumed already."""
    if job.parent_id is not None and not hold_parent(
        session, job.parent_id, job.id if resumes else None
    ):
        return False
    session.add(job)
    session.flush()
    for start in range(0, len(files), FILES_PER_INSERT):
        page = files[start : start + FILES_PER_INSERT]
        rows = [_file_row(session, job.id, start + n, new) for n, new in enumerate(page)]
        session.execute(insert(JobFileRow), rows)
    if then is not None:
        then(session, job.id, _pending_file_ids(session, job.id))
    return True


def _file_row(session: Session, job_id: str, position: int, new: NewFile) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "position": position,
        "file_name": new.file_name,
        "path": new.path,
        "state": new.state.value,
        "error": new.error,
        "paper_id": None if new.paper is None else _carry_paper(session, job_id, new.paper),
        "worker": new.worker,
    }


def _carry_paper(session: Session, job_id: str, paper: Paper) -> int | None:
    row = PaperRow(job_id=job_id, **paper.model_dump(exclude={"id", "job_id"}))
    session.add(row)
    session.flush()
    return row.id


def _pending_file_ids(session: Session, job_id: str) -> list[int]:
    query = (
        select(JobFileRow.id)
        .where(JobFileRow.job_id == job_id, JobFileRow.state == FileState.pending.value)
        .order_by(col(JobFileRow.position))
    )
    return [file_id for file_id in session.exec(query) if file_id is not None]
