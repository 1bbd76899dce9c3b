"""A library query with one entry per work: of the papers that are the same work (see
duplicates), only the newest one the query finds is listed, with the ids of the others."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Engine

from catalogsvc.domain import Paper
from catalogsvc.store.duplicates import duplicates_of
from catalogsvc.store.library import PaperQuery, search_papers

# Pages of candidates read to fill one page of works: a library of nothing but copies of one
# paper still answers in bounded time, with a cursor to read on.
MAX_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class Work:
    paper: Paper
    others: list[int]  # the same work's other papers the owner may see, oldest first


def search_works(
    engine: Engine, query: PaperQuery, owner: str | None
) -> tuple[list[Work], int | None]:
    """One page of works matching `query`, newest first, and the cursor to read on from."""
    works: list[Work] = []
    cursor = query.before_id
    for _ in range(MAX_ROUNDS):
        batch = search_papers(
            engine, replace(query, before_id=cursor, limit=query.limit + 1), owner
        )
        for paper in batch:
            cursor = paper.id
            if len(works) == query.limit:
                return works, works[-1].paper.id
            others = [other.id for other in duplicates_of(engine, paper, owner)]
            if not _listed_as_newer(engine, query, paper, others, owner):
                works.append(Work(paper, others))
        if len(batch) <= query.limit:
            return works, None
    return works, cursor


def _listed_as_newer(
    engine: Engine, query: PaperQuery, paper: Paper, others: list[int], owner: str | None
) -> bool:
    """Whether a newer paper of the same work matches the query, and so stands for it."""
    newer = tuple(other for other in others if other > paper.id)
    if not newer:
        return False
    asked = replace(query, ids=newer, before_id=None, limit=1)
    return bool(search_papers(engine, asked, owner))
