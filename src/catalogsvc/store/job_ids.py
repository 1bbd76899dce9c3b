"""A job named by a unique prefix of its id, as people copy ids from a narrow table."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from catalogsvc.errors import InvalidInput
from catalogsvc.store.models import JobRow

SHORTEST_PREFIX = 4
FULL_ID_LENGTH = 32


def may_be_prefix(job_id: str) -> bool:
    """Whether `job_id` may name a job by a prefix; else it is taken as it stands."""
    prefix = job_id.strip()
    return SHORTEST_PREFIX <= len(prefix) < FULL_ID_LENGTH and prefix.isalnum()


def full_job_id(
    engine: Engine, job_id: str, owner: str | None, *, field: str = "job_id", where: str = "path"
) -> str:
    """The id of the one job (of `owner`, when given) whose id starts with `job_id`; the text
    unchanged when it is a whole id, too short, or matches no job (its lookup answers 404)."""
    if not may_be_prefix(job_id):
        return job_id
    prefix = job_id.strip().lower()
    query = select(JobRow.id).where(col(JobRow.id).startswith(prefix)).limit(2)
    if owner is not None:
        query = query.where(JobRow.owner == owner)
    with Session(engine) as session:
        found = list(session.exec(query).all())
    if len(found) > 1:
        raise InvalidInput(
            f"{job_id!r} is the start of several job ids; give more of it",
            field=field,
            where=where,
        )
    return found[0] if found else job_id
