"""One paper as its owner reads it, and a user's correction of a paper of an ended job,
recorded with the source `user`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from catalogsvc.domain import ACTIVE_STATUSES, FieldSource, Paper, Taxonomy
from catalogsvc.errors import InvalidInput, JobStillActive, PaperNotFound
from catalogsvc.store.models import JobRow, PaperRow
from catalogsvc.store.row_guards import hold_job
from catalogsvc.taxonomies import UNCATEGORIZED


def read_paper(engine: Engine, paper_id: int, owner: str | None) -> Paper | None:
    query = select(PaperRow, JobRow.owner).join(JobRow, col(JobRow.id) == PaperRow.job_id)
    with Session(engine) as session:
        found = session.exec(query.where(PaperRow.id == paper_id)).first()
    if found is None or (owner is not None and found[1] != owner):
        return None
    return Paper.model_validate(found[0].model_dump())


def correct_paper(
    engine: Engine, paper_id: int, changes: dict[str, Any], owner: str | None
) -> Paper:
    """Apply `changes` to the paper; its job's row is held meanwhile, so that the job cannot
    be resumed, reclassified or deleted halfway through the correction."""
    with Session(engine, expire_on_commit=False) as session:
        paper = session.get(PaperRow, paper_id)
        if paper is None:
            raise PaperNotFound(f"no paper with id {paper_id}")
        hold_job(session, paper.job_id)
        job = session.exec(select(JobRow).where(JobRow.id == paper.job_id)).first()
        if job is None or (owner is not None and job.owner != owner):  # deleted meanwhile
            raise PaperNotFound(f"no paper with id {paper_id}")
        if job.status in {status.value for status in ACTIVE_STATUSES}:
            raise JobStillActive(
                f"job {job.id} is still {job.status}; correct its papers once it has ended"
            )
        if changes.get("category") is not None:
            _require_category(Taxonomy.model_validate(job.taxonomy), changes["category"])
            paper.category_score = None  # a person's choice has no classifier score
        for name, value in changes.items():
            setattr(paper, name, value)
        paper.sources = {**paper.sources, **dict.fromkeys(changes, FieldSource.user.value)}
        corrected = Paper.model_validate(paper.model_dump())  # before the commit, not after
        session.add(paper)
        session.commit()
        return corrected


def _require_category(taxonomy: Taxonomy, category: str) -> None:
    names = [c.name for c in taxonomy.categories]
    if category not in names and category != UNCATEGORIZED:
        raise InvalidInput(
            f"{category!r} is not a category of the job's taxonomy {taxonomy.name!r}: "
            f"one of {', '.join([*names, UNCATEGORIZED])}",
            field="category",
        )
