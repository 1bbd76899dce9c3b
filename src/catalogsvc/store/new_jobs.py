"""Writing a new job: its row, its files and the papers it carries over, in one transaction.

The files, and the papers a resume carries over, go in as Core executemany statements, a
page at a time: a folder of 10,000 PDFs made 10,000 ORM objects at once, whose small
allocations the server kept after the job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col

from catalogsvc.domain import FileState, Paper
from catalogsvc.store.models import JobFileRow, JobRow, PaperRow
from catalogsvc.store.records import NewFile
from catalogsvc.store.row_guards import hold_parent

FILES_PER_INSERT = 1024
PENDING = FileState.pending.value

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
    pending: list[int] = []
    for start in range(0, len(files), FILES_PER_INSERT):
        page = files[start : start + FILES_PER_INSERT]
        paper_ids = _carry_papers(session, job.id, [new.paper for new in page])
        rows = [
            _file_row(job.id, start + n, new, paper_id)
            for n, (new, paper_id) in enumerate(zip(page, paper_ids, strict=True))
        ]
        ids = session.execute(
            insert(JobFileRow).returning(col(JobFileRow.id), sort_by_parameter_order=True), rows
        ).scalars()
        pending += [id_ for id_, row in zip(ids, rows, strict=True) if row["state"] == PENDING]
    if then is not None:
        then(session, job.id, pending)
    return True


def _carry_papers(session: Session, job_id: str, papers: list[Paper | None]) -> list[int | None]:
    """Copies of the papers a resumed or reclassified job carries over, inserted together;
    for each file, its copy's id (None: the file carries none)."""
    carried = [
        {"job_id": job_id} | paper.model_dump(exclude={"id", "job_id"})
        for paper in papers
        if paper is not None
    ]
    if not carried:
        return [None] * len(papers)
    inserted = session.execute(
        insert(PaperRow).returning(col(PaperRow.id), sort_by_parameter_order=True), carried
    ).scalars()
    ids = iter(list(inserted))
    return [None if paper is None else next(ids) for paper in papers]


def _file_row(job_id: str, position: int, new: NewFile, paper_id: int | None) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "position": position,
        "file_name": new.file_name,
        "path": new.path,
        "state": new.state.value,
        "error": new.error,
        "paper_id": paper_id,
        "worker": new.worker,
    }
