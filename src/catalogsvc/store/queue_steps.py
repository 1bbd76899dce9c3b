"""The store's side of the task queue: the step from extraction to classification, taken
once, by whichever batch ends last."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, exists, update
from sqlmodel import Session, col, select

from catalogsvc.domain import FileState, JobPhase, JobStatus
from catalogsvc.store.models import JobFileRow, JobRow


def finish_extraction(
    engine: Engine, job_id: str, then: Callable[[Session], None], timings: dict[str, float]
) -> bool:
    """Move the running job from extracting to classifying if none of its files is pending,
    with `timings` so far, and run `then` in the same transaction; False if another batch
    did it, files remain, or the job has ended. Two batches ending together wait on the row:
    one wins."""
    pending = exists(
        select(JobFileRow.id).where(
            JobFileRow.job_id == job_id, JobFileRow.state == FileState.pending.value
        )
    )
    with Session(engine) as session:
        moved = session.exec(
            update(JobRow)
            .where(col(JobRow.id) == job_id)
            .where(col(JobRow.status) == JobStatus.running.value)
            .where(col(JobRow.phase) == JobPhase.extracting.value)
            .where(~pending)
            .values(phase=JobPhase.classifying.value, timings=timings)
        )
        if int(moved.rowcount) == 0:
            return False
        then(session)
        session.commit()
        return True
