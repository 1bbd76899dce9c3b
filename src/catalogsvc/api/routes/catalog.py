"""Catalog downloads, whole for completed jobs and partial for ended ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from catalogsvc.api.deps import SignedUrlJobId, SignedUrlJobServiceDep
from catalogsvc.catalog.catalogs import CatalogFormat, catalog_media_types
from catalogsvc.jobs.job_catalog import job_catalogs

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
    job_id: SignedUrlJobId,
    format: Annotated[CatalogFormat, Query(description="The catalog format.")] = (
        CatalogFormat.markdown
    ),
    category: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Only this category's papers (`Not classified yet`: those the job "
            "stopped before classifying).",
        ),
    ] = None,
) -> Response:
    """The job's catalog, grouped by category (or one category's papers); partial for
    cancelled, failed or interrupted jobs."""
    (rendered,) = await job_catalogs(jobs, job_id, [format], category)
    return Response(
        content=rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": f'attachment; filename="{rendered.filename}"'},
    )
