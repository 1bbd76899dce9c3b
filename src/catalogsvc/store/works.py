"""A library query with one entry per work: of the papers that are the same work (see
duplicates), only the newest one the query finds is listed, with the ids of the others."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Engine

from catalogsvc.domain import Paper
from catalogsvc.store.duplicates import same_work_ids
from catalogsvc.store.library import PaperQuery, search_papers

# Pages of candidates read to fill one page of works: a library of nothing but copies of one
# paper still answers in bounded time, with a cursor to read on.
MAX_ROUNDS = 4


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
        asked = replace(query, before_id=cursor, limit=query.limit + 1)
        batch = search_papers(engine, asked, owner)
        others = same_work_ids(engine, batch, owner)
        listed = _newer_copies_found(engine, query, batch, others, owner)
        for paper in batch:
            if len(works) == query.limit:
                return works, works[-1].paper.id
            cursor = paper.id
            if not any(other in listed for other in others[paper.id] if other > paper.id):
                works.append(Work(paper, others[paper.id]))
        if len(batch) <= query.limit:
            return works, None
    return works, cursor


def _newer_copies_found(
    engine: Engine,
    query: PaperQuery,
    batch: list[Paper],
    others: dict[int, list[int]],
    owner: str | None,
) -> set[int]:
    """Of the batch's newer copies, those the query finds: each stands for its work."""
    newer = {other for paper in batch for other in others[paper.id] if other > paper.id}
    if query.ids is not None:  # a selection: its newest copy of each work stands for it
        newer &= set(query.ids)
    if not newer:
        return set()
    asked = replace(query, ids=tuple(newer), before_id=None, limit=len(newer))
    return {paper.id for paper in search_papers(engine, asked, owner)}
