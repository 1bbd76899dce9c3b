"""Jobs: submit, list, inspect, cancel, resume, reclassify, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from pydantic import WithJsonSchema

from catalogsvc.api.deps import JobId, JobServiceDep
from catalogsvc.api.job_answers import history_answer, job_answer, paged_answer
from catalogsvc.api.schemas import (
    CancelManyIn,
    CancelManyOut,
    CancelResult,
    FolderJobIn,
    JobFileOut,
    JobOut,
    JobPage,
    ReclassifyIn,
    ResumeIn,
)
from catalogsvc.domain import JobKind, JobStatus, Paper
from catalogsvc.jobs.batch_cancel import cancel_jobs as cancel_each
from catalogsvc.taxonomies import resolve_taxonomy

router = APIRouter(prefix="/api", tags=["jobs"])

ACCEPTED = status.HTTP_202_ACCEPTED
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"description": "No job with this id"}}
CONFLICT: Responses = {409: {"description": "The job's state does not allow this"}}


@router.post("/jobs", status_code=ACCEPTED, response_model=JobOut)
async def submit_upload_job(
    jobs: JobServiceDep,
    # format: binary is what makes Swagger UI offer a file picker for each item of a list.
    files: Annotated[
        list[Annotated[UploadFile, WithJsonSchema({"type": "string", "format": "binary"})]],
        File(description="One or more PDF files."),
    ],
    taxonomy: Annotated[
        str | None,
        Form(
            description='A built-in taxonomy name, or a JSON list of {"name", "description"}.',
            examples=["arxiv"],
        ),
    ] = None,
    name: Annotated[
        str | None,
        Form(
            min_length=1,
            max_length=200,
            description="Default: the first file's name and how many more.",
        ),
    ] = None,
) -> Response:
    """Upload PDFs and start a job over them."""
    uploads = [(upload.filename or "", upload.file) for upload in files]
    snapshot = await jobs.submit_upload(uploads, resolve_taxonomy(taxonomy), name)
    return job_answer(snapshot, ACCEPTED)


@router.post(
    "/jobs/folder",
    status_code=ACCEPTED,
    response_model=JobOut,
    responses={403: {"description": "The folder is outside CATALOGSVC_ALLOWED_ROOTS"}},
)
async def submit_folder_job(jobs: JobServiceDep, body: FolderJobIn) -> Response:
    """Start a job over the PDFs of a folder on the server."""
    snapshot = await jobs.submit_folder(
        body.path,
        recursive=body.recursive,
        taxonomy=resolve_taxonomy(body.taxonomy),
        name=body.name,
    )
    return job_answer(snapshot, ACCEPTED)


@router.get("/jobs", response_model=JobPage)
async def list_jobs(
    jobs: JobServiceDep,
    status: Annotated[list[JobStatus] | None, Query(description="Repeat to allow several.")] = None,
    kind: JobKind | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    # A row number: at most 18 digits, so it always fits the database's 64-bit integer.
    cursor: Annotated[str | None, Query(pattern=r"^\d{1,18}$")] = None,
) -> Response:
    """The job history, newest first, with status and kind filters and cursor paging."""
    snapshots, next_cursor = await jobs.list_jobs(
        statuses=status or [], kind=kind, limit=limit, cursor=int(cursor) if cursor else None
    )
    return history_answer(snapshots, next_cursor)


@router.post("/jobs/cancel")
async def cancel_jobs(jobs: JobServiceDep, body: CancelManyIn) -> CancelManyOut:
    """Cancel several jobs; each id gets its own outcome."""
    outcomes = await cancel_each(jobs, body.ids)
    return CancelManyOut(results=[CancelResult(id=o.id, outcome=o.outcome) for o in outcomes])


@router.get("/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND)
async def get_job(jobs: JobServiceDep, job_id: JobId) -> Response:
    """One job with its live progress."""
    return job_answer(await jobs.get_job(job_id))


@router.post("/jobs/{job_id}/cancel", response_model=JobOut, responses={**NOT_FOUND, **CONFLICT})
@router.post(
    "/cancel/{job_id}",
    response_model=JobOut,
    responses={**NOT_FOUND, **CONFLICT},
    include_in_schema=False,
)
async def cancel_job(jobs: JobServiceDep, job_id: JobId) -> Response:
    """Cancel a queued or running job; cancelling a cancelled job again changes nothing."""
    return job_answer(await jobs.cancel_job(job_id))


After = Annotated[
    int | None,
    Query(ge=0, le=2**63 - 1, description="Continue after this one (the `Link` header's next)."),
]
PageLimit = Annotated[
    int | None, Query(ge=1, le=10_000, description="At most this many; default: all of them.")
]


@router.get("/jobs/{job_id}/files", response_model=list[JobFileOut], responses=NOT_FOUND)
async def list_job_files(
    request: Request,
    jobs: JobServiceDep,
    job_id: JobId,
    after: After = None,
    limit: PageLimit = None,
) -> Response:
    """Per-file progress in order: pending, done, failed (with the reason) or skipped. With
    `limit`, a page at a time: a `Link: <…>; rel="next"` header names the next page."""
    rows = await jobs.files_page(job_id, after, limit + 1 if limit else None)
    return paged_answer(request, rows, limit, cursor="position")


@router.get("/jobs/{job_id}/papers", response_model=list[Paper], responses=NOT_FOUND)
async def list_job_papers(
    request: Request,
    jobs: JobServiceDep,
    job_id: JobId,
    after: After = None,
    limit: PageLimit = None,
) -> Response:
    """The papers extracted so far, oldest first (partial for cancelled, failed or interrupted
    jobs). With `limit`, a page at a time, as for the files."""
    rows = await jobs.papers_page(job_id, after, limit + 1 if limit else None)
    return paged_answer(request, rows, limit, cursor="id")


@router.post(
    "/jobs/{job_id}/resume",
    status_code=ACCEPTED,
    response_model=JobOut,
    responses={**NOT_FOUND, **CONFLICT},
)
async def resume_job(jobs: JobServiceDep, job_id: JobId, body: ResumeIn | None = None) -> Response:
    """Start a new job over the files this one did not finish, reusing its papers."""
    retry_failed = body.retry_failed if body else False
    return job_answer(await jobs.resume_job(job_id, retry_failed=retry_failed), ACCEPTED)


@router.post(
    "/jobs/{job_id}/reclassify",
    status_code=ACCEPTED,
    response_model=JobOut,
    responses={**NOT_FOUND, **CONFLICT},
)
async def reclassify_job(
    jobs: JobServiceDep, job_id: JobId, body: ReclassifyIn | None = None
) -> Response:
    """Start a new job that classifies this job's papers again, without re-extracting;
    categories users set are kept unless `overwrite_user_categories`."""
    taxonomy = resolve_taxonomy(body.taxonomy) if body and body.taxonomy is not None else None
    overwrite = body.overwrite_user_categories if body else False
    snapshot = await jobs.reclassify_job(job_id, taxonomy, overwrite_user_categories=overwrite)
    return job_answer(snapshot, ACCEPTED)


@router.delete(
    "/jobs/{job_id}", status_code=status.HTTP_204_NO_CONTENT, responses={**NOT_FOUND, **CONFLICT}
)
async def delete_job(jobs: JobServiceDep, job_id: JobId) -> Response:
    """Remove a finished job, its papers, catalogs and uploaded files."""
    await jobs.delete_job(job_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
