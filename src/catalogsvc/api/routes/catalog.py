"""Catalog downloads, whole for completed jobs and partial for ended ones."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Response

from catalogsvc.api.deps import SignedUrlJobServiceDep
from catalogsvc.catalog.catalogs import (
    CatalogFormat,
    catalog_media_types,
    is_partial,
    render_job_catalog,
)
from catalogsvc.domain import JobPhase, JobStatus
from catalogsvc.errors import JobStillActive

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get(
    "/jobs/{job_id}/catalog",
    response_class=Response,
    responses={
        200: {
            "description": "The catalog file, in the media type of its format",
            "content": {media_type: {} for media_type in catalog_media_types()},
        },
        404: {"description": "No job with this id"},
        409: {"description": "The job is still queued or running"},
    },
)
async def download_catalog(
    jobs: SignedUrlJobServiceDep,
    job_id: str,
    format: Annotated[CatalogFormat, Query(description="The catalog format.")] = (
        CatalogFormat.markdown
    ),
) -> Response:
    """The job's catalog, grouped by category; partial for cancelled, failed or interrupted jobs."""
    snapshot = await jobs.get_job(job_id)
    status = JobStatus(snapshot.job.status)
    if not status.is_terminal:
        raise JobStillActive(f"job {job_id} is still {status}; its catalog is not ready")
    papers = await jobs.list_papers(job_id)
    progress = snapshot.progress
    partial = is_partial(
        status,
        JobPhase(snapshot.job.phase),
        files_done=progress.files_done,
        files_total=progress.files_total,
    )
    rendered = await asyncio.to_thread(
        render_job_catalog,
        format,
        papers,
        job_id=job_id,
        partial=partial,
    )
    return Response(
        content=rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": f'attachment; filename="{rendered.filename}"'},
    )
