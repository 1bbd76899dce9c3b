"""JobReads: what the API and the CLI read of jobs, each read one hop to a thread and one
connection (the read path is asked far more often than jobs are started)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from typing import Any

from catalogsvc.domain import JobKind, JobStatus, Paper
from catalogsvc.errors import JobNotFound
from catalogsvc.store.job_ids import SHORTEST_PREFIX, full_job_id, may_be_prefix
from catalogsvc.store.job_pages import files_page, papers_page
from catalogsvc.store.job_reads import read_history, read_job
from catalogsvc.store.models import JobRow
from catalogsvc.store.repository import Store
from catalogsvc.store.snapshot import JobSnapshot


class JobReads:
    """Scoped to an owner (an API key's), it sees only that owner's jobs."""

    def __init__(self, store: Store, owner: str | None) -> None:
        self._store = store
        self._owner = owner

    async def full_id(self, job_id: str) -> str:
        """The whole id of the caller's one job whose id starts with `job_id` (ids are lower-case
        hexadecimal: one copied in upper case names the same job)."""
        if job_id.isalnum() and len(job_id) < SHORTEST_PREFIX:
            shortest = f"an id prefix needs {SHORTEST_PREFIX} characters or more"
            raise JobNotFound(f"no job with id {job_id!r}: {shortest}")
        if not may_be_prefix(job_id):
            return job_id.lower() if job_id.isalnum() else job_id
        return await self._store.read(partial(full_job_id, self._store.engine, job_id, self._owner))

    async def get_job(self, job_id: str) -> JobSnapshot:
        snapshot = await self._store.read(
            partial(read_job, self._store.engine, job_id, self._owner)
        )
        if snapshot is None:
            raise JobNotFound(f"no job with id {job_id!r}")
        return snapshot

    async def list_jobs(
        self,
        *,
        statuses: Sequence[JobStatus],
        kind: JobKind | None,
        limit: int,
        cursor: int | None,
    ) -> tuple[list[JobSnapshot], int | None]:
        """A page of the history (each job with its taxonomy's name only), the next cursor."""
        read = partial(
            read_history,
            self._store.engine,
            statuses=statuses,
            kind=kind,
            owner=self._owner,
            limit=limit + 1,
            before_seq=cursor,
        )
        snapshots = await self._store.read(read)
        page = snapshots[:limit]
        next_cursor = page[-1].job.seq if len(snapshots) > limit and page else None
        return page, next_cursor

    async def list_papers(self, job_id: str) -> list[Paper]:
        await self._require(job_id)
        return await asyncio.to_thread(self._store.list_papers, job_id)

    async def files_page(
        self, job_id: str, after: int | None, limit: int | None
    ) -> list[dict[str, Any]]:
        """The job's files after position `after` (each with its `position`), in order."""
        read = partial(files_page, self._store.engine, job_id, self._owner, after, limit)
        return self._found(job_id, await self._store.read(read))

    async def papers_page(
        self, job_id: str, after: int | None, limit: int | None
    ) -> list[dict[str, Any]]:
        """The job's papers with ids above `after`, oldest first."""
        read = partial(papers_page, self._store.engine, job_id, self._owner, after, limit)
        return self._found(job_id, await self._store.read(read))

    @staticmethod
    def _found(job_id: str, rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        if rows is None:
            raise JobNotFound(f"no job with id {job_id!r}")
        return rows

    async def _require(self, job_id: str) -> JobRow:
        job = await asyncio.to_thread(self._store.get_job, job_id)
        if job is None or (self._owner is not None and job.owner != self._owner):
            raise JobNotFound(f"no job with id {job_id!r}")
        return job
