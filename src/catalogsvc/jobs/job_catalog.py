"""A job's catalog, rendered from its stored papers: the one owner of catalogs, which the API
and the CLI both ask. Nothing is written to disk; an ended job's papers do not change, so the
same request always gives the same file."""

from __future__ import annotations

from collections.abc import Sequence

from catalogsvc.catalog.catalogs import (
    CatalogFormat,
    RenderedCatalog,
    is_partial,
    render_job_catalog,
)
from catalogsvc.catalog.contents import category_group
from catalogsvc.catalog.in_thread import render_in_thread
from catalogsvc.domain import JobPhase, JobStatus
from catalogsvc.errors import JobStillActive
from catalogsvc.jobs.service import JobService


async def job_catalogs(
    jobs: JobService,
    job_id: str,
    formats: Sequence[CatalogFormat],
    category: str | None = None,
) -> list[RenderedCatalog]:
    """The ended job's catalog in each of `formats` (its papers read once), marked partial
    when the job stopped before its end; with `category`, that category's papers only."""
    snapshot = await jobs.get_job(job_id)
    status = JobStatus(snapshot.job.status)
    if not status.is_terminal:
        raise JobStillActive(f"job {job_id} is still {status}; its catalog is not ready")
    papers = await jobs.list_papers(job_id)
    if category is not None:
        papers = [paper for paper in papers if category_group(paper) == category]
    progress = snapshot.progress
    partial = is_partial(
        status,
        JobPhase(snapshot.job.phase),
        files_done=progress.files_done,
        files_total=progress.files_total,
    )

    def render() -> list[RenderedCatalog]:
        return [render_job_catalog(fmt, papers, job_id=job_id, partial=partial) for fmt in formats]

    return await render_in_thread(render, len(papers))
