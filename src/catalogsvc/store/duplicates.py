"""Papers that are the same work as another: the same DOI, arXiv id or file content, or a
near-identical title with the same first author and year (the full-text index narrows the
candidates, so no table is scanned)."""

from __future__ import annotations

from sqlalchemy import Engine, func, or_
from sqlmodel import Session, col, select

from catalogsvc.domain import Paper
from catalogsvc.enrichment.matching import same_family, same_title
from catalogsvc.store.library import PaperQuery, search_papers
from catalogsvc.store.models import JobRow, PaperRow

CANDIDATES = 200


def duplicates_of(engine: Engine, paper: Paper, owner: str | None) -> list[Paper]:
    """The other papers the owner may see that are the same work as `paper`, oldest first."""
    same_id = [col(PaperRow.sha256) == paper.sha256]
    if paper.doi:
        same_id.append(func.lower(PaperRow.doi) == paper.doi.lower())
    if paper.arxiv_id:
        same_id.append(col(PaperRow.arxiv_id) == paper.arxiv_id)
    query = (
        select(PaperRow)
        .join(JobRow, col(JobRow.id) == PaperRow.job_id)
        .where(or_(*same_id), col(PaperRow.id) != paper.id)
    )
    if owner is not None:
        query = query.where(JobRow.owner == owner)
    with Session(engine) as session:
        found = {row.id: Paper.model_validate(row.model_dump()) for row in session.exec(query)}
    if paper.title and paper.year is not None:
        words = PaperQuery(
            text=paper.title, year_from=paper.year, year_to=paper.year, limit=CANDIDATES
        )
        for other in search_papers(engine, words, owner):
            if other.id != paper.id and _same_titled_work(paper, other):
                found[other.id] = other
    return sorted(found.values(), key=lambda other: other.id)


def _same_titled_work(paper: Paper, other: Paper) -> bool:
    if not (other.title and paper.title and same_title(paper.title, other.title)):
        return False
    if paper.authors and other.authors:
        return same_family(paper.authors[0], other.authors[0])
    return True
