"""PaperService: one paper read or corrected, as its owner sees it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from typing import Any

from catalogsvc.domain import Paper
from catalogsvc.errors import PaperNotFound
from catalogsvc.store.duplicates import duplicates_of
from catalogsvc.store.job_ids import full_job_id, may_be_prefix
from catalogsvc.store.library import PaperQuery, search_papers
from catalogsvc.store.paper_edits import correct_paper, read_paper
from catalogsvc.store.repository import Store
from catalogsvc.store.works import Work, search_works


class PaperService:
    """Scoped to an owner (an API key's), it sees only that owner's papers."""

    def __init__(self, store: Store, owner: str | None) -> None:
        self._store = store
        self._owner = owner

    async def get_paper(self, paper_id: int) -> Paper:
        paper = await asyncio.to_thread(read_paper, self._store.engine, paper_id, self._owner)
        if paper is None:
            raise PaperNotFound(f"no paper with id {paper_id}")
        return paper

    async def search(self, query: PaperQuery) -> tuple[list[Paper], int | None]:
        """One page of the papers matching `query`, newest first, and the next page's cursor."""
        asked = replace(await self._whole_job_id(query), limit=query.limit + 1)
        found = await asyncio.to_thread(search_papers, self._store.engine, asked, self._owner)
        page = found[: query.limit]
        return page, page[-1].id if len(found) > query.limit and page else None

    async def search_works(self, query: PaperQuery) -> tuple[list[Work], int | None]:
        """One page of works matching `query`: the newest paper found of each, newest first."""
        asked = await self._whole_job_id(query)
        return await asyncio.to_thread(search_works, self._store.engine, asked, self._owner)

    async def _whole_job_id(self, query: PaperQuery) -> PaperQuery:
        """The query with its job named in full, as a unique prefix of 4+ characters may."""
        if query.job_id is None or not may_be_prefix(query.job_id):
            return query
        find = partial(full_job_id, self._store.engine, query.job_id, self._owner)
        return replace(query, job_id=await asyncio.to_thread(find, field="job", where="query"))

    async def duplicates(self, paper_id: int) -> list[Paper]:
        """The other papers, in any job the caller may see, that are the same work."""
        paper = await self.get_paper(paper_id)
        return await asyncio.to_thread(duplicates_of, self._store.engine, paper, self._owner)

    async def correct_paper(self, paper_id: int, changes: dict[str, Any]) -> Paper:
        """Store a user's correction of a paper of an ended job (409 while it runs)."""
        write = partial(correct_paper, self._store.engine, paper_id, changes, self._owner)
        return await asyncio.to_thread(write)
