"""A job's progress, counted from its file rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, func, select
from sqlmodel import col

from catalogsvc.store.models import JobFileRow
from catalogsvc.store.records import Progress


def job_progress(engine: Engine, job_ids: Sequence[str]) -> dict[str, Progress]:
    with engine.connect() as connection:
        return count_progress(connection, job_ids)


def count_progress(connection: Connection, job_ids: Sequence[str]) -> dict[str, Progress]:
    """Counts per job, in one statement so that they agree: a done file is the one that
    stored a paper, so papers are counted with the files."""
    counts: dict[str, dict[str, int]] = {job_id: {} for job_id in job_ids}
    rows = connection.execute(
        select(col(JobFileRow.job_id), col(JobFileRow.state), func.count())
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
