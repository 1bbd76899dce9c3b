"""Papers that are the same work as another: the same DOI, arXiv id or file content, or a
near-identical title with the same first author and year. Found for a whole page of papers in
two lookups, by the indexes (migrations 0011 and 0012), so no table is scanned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import ColumnElement, Engine, func, or_, true
from sqlmodel import Session, col, select

from catalogsvc.domain import Paper
from catalogsvc.enrichment.matching import same_family, same_title
from catalogsvc.store.library import matches_any
from catalogsvc.store.models import JobRow, PaperRow

IdentifierRows = Sequence[tuple[int, str, str | None, str | None]]  # a stored row has an id
TitleRows = Sequence[tuple[int, str | None, list[str], int]]
# Papers of one page: each page is looked up whole, a few pages at most per request.
IN_CLAUSE_LIMIT = 500


def duplicates_of(engine: Engine, paper: Paper, owner: str | None) -> list[Paper]:
    """The other papers the owner may see that are the same work as `paper`, oldest first."""
    others = same_work_ids(engine, [paper], owner)[paper.id]
    with Session(engine) as session:
        rows = session.exec(select(PaperRow).where(col(PaperRow.id).in_(others))).all()
    return sorted((Paper.model_validate(row.model_dump()) for row in rows), key=lambda p: p.id)


def same_work_ids(
    engine: Engine, papers: Sequence[Paper], owner: str | None
) -> dict[int, list[int]]:
    """For each paper, the ids of the other papers the owner may see of the same work."""
    found: dict[int, set[int]] = {paper.id: set() for paper in papers}
    for first in range(0, len(papers), IN_CLAUSE_LIMIT):
        chunk = papers[first : first + IN_CLAUSE_LIMIT]
        _by_identifier(engine, chunk, owner, found)
        _by_title(engine, chunk, owner, found)
    return {paper_id: sorted(others - {paper_id}) for paper_id, others in found.items()}


def _by_identifier(
    engine: Engine, papers: Sequence[Paper], owner: str | None, found: dict[int, set[int]]
) -> None:
    shas = {paper.sha256 for paper in papers}
    dois = {paper.doi.lower() for paper in papers if paper.doi}
    arxiv_ids = {paper.arxiv_id for paper in papers if paper.arxiv_id}
    lower_doi = func.lower(PaperRow.doi)
    same = [col(PaperRow.sha256).in_(shas)]
    if dois:
        same.append(lower_doi.in_(dois))
    if arxiv_ids:
        same.append(col(PaperRow.arxiv_id).in_(arxiv_ids))
    query = select(PaperRow.id, PaperRow.sha256, lower_doi, PaperRow.arxiv_id).where(
        or_(*same), _visible(owner)
    )
    with Session(engine) as session:
        rows = cast(IdentifierRows, session.exec(query).all())
    by_key: dict[tuple[str, str | None], list[int]] = {}
    for paper in papers:
        keys: list[tuple[str, str | None]] = [("sha256", paper.sha256)]
        keys += [("doi", paper.doi.lower())] if paper.doi else []
        keys += [("arxiv", paper.arxiv_id)] if paper.arxiv_id else []
        for key in keys:
            by_key.setdefault(key, []).append(paper.id)
    for other_id, sha256, doi, arxiv_id in rows:
        for key in (("sha256", sha256), ("doi", doi), ("arxiv", arxiv_id)):
            for paper_id in by_key.get(key, ()):
                found[paper_id].add(other_id)


def _by_title(
    engine: Engine, papers: Sequence[Paper], owner: str | None, found: dict[int, set[int]]
) -> None:
    titled = [paper for paper in papers if paper.title and paper.year is not None]
    if not titled:
        return
    query = select(PaperRow.id, PaperRow.title, PaperRow.authors, PaperRow.year).where(
        matches_any(engine, sorted({_telling_words(paper.title or "") for paper in titled})),
        col(PaperRow.year).in_({paper.year for paper in titled}),
        _visible(owner),
    )
    with Session(engine) as session:
        rows = cast(TitleRows, session.exec(query).all())
    # Papers of one year, title and first author are judged together, and each distinct
    # (title, first author) of the rows once: a library of many copies repeats both.
    groups: dict[int, dict[tuple[str, str], list[Paper]]] = {}
    for paper in titled:
        key = (paper.title or "", paper.authors[0] if paper.authors else "")
        groups.setdefault(paper.year or 0, {}).setdefault(key, []).append(paper)
    verdicts: dict[tuple[str, str, str, str], bool] = {}
    for other_id, title, authors, year in rows:
        other = (title or "", authors[0] if authors else "")
        for key, members in groups.get(year, {}).items():
            pair = (*key, *other)
            if pair not in verdicts:
                verdicts[pair] = _same_titled_work(members[0], title, authors)
            if verdicts[pair]:
                for paper in members:
                    found[paper.id].add(other_id)


def _telling_words(title: str) -> str:
    """A title's longer words: every near-identical title has them too, and the index finds
    them far faster than it finds "of" or "the" (same_title then compares the whole titles)."""
    words = title.split()
    longer = [word for word in words if len(word) > 3]
    return " ".join(longer) if len(longer) >= 2 else title


def _same_titled_work(paper: Paper, title: str | None, authors: Sequence[str]) -> bool:
    if not (title and paper.title and same_title(paper.title, title)):
        return False
    if paper.authors and authors:
        return same_family(paper.authors[0], authors[0])
    return True


def _visible(owner: str | None) -> ColumnElement[bool]:
    if owner is None:
        return true()
    return col(PaperRow.job_id).in_(select(JobRow.id).where(JobRow.owner == owner))
