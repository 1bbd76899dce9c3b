"""Deleting a job's rows, and which of its input files another job still reads."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from catalogsvc.store.models import JobFileRow, JobRow, PaperRow
from catalogsvc.store.records import JobPaths
from catalogsvc.store.row_guards import hold_job


def job_paths(engine: Engine, job_id: str) -> JobPaths:
    with Session(engine) as session:
        return _job_paths(session, job_id)


def delete_job(engine: Engine, job_id: str) -> JobPaths:
    """Delete the job's rows; return its input paths as they stood at the delete, so that
    only the ones no other job reads are removed from disk."""
    with Session(engine) as session:
        # Held first: a resume or reclassify of this job either committed before (its files
        # count as still used) or waits and then finds no parent.
        hold_job(session, job_id)
        paths = _job_paths(session, job_id)
        session.exec(delete(PaperRow).where(col(PaperRow.job_id) == job_id))
        session.exec(delete(JobFileRow).where(col(JobFileRow.job_id) == job_id))
        session.exec(delete(JobRow).where(col(JobRow.id) == job_id))
        session.commit()
    return paths


def _job_paths(session: Session, job_id: str) -> JobPaths:
    paths = set(session.exec(select(JobFileRow.path).where(JobFileRow.job_id == job_id)).all())
    still_used = set(
        session.exec(
            select(JobFileRow.path).where(
                col(JobFileRow.path).in_(paths), JobFileRow.job_id != job_id
            )
        ).all()
    )
    return JobPaths(unused=sorted(paths - still_used), still_used=sorted(still_used))
