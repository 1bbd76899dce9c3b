"""A job's answer as JSON, straight from what the store read. The read path is asked far more
often than jobs are started, so no model is built per job: JobOut and JobSummary (schemas.py)
describe these answers in the OpenAPI document, and the tests hold every answer to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pydantic_core
from starlette.requests import Request
from starlette.responses import Response

from catalogsvc.store.snapshot import JobSnapshot


class JSONAnswer(Response):
    """JSON written by pydantic's own serializer: the same text a model would give."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return pydantic_core.to_json(content)


def job_json(snapshot: JobSnapshot, *, categories: bool = True) -> dict[str, Any]:
    """A job as JobOut describes it, or (without `categories`) as JobSummary does."""
    job, progress = snapshot.job, snapshot.progress
    # Stored as Taxonomy.model_dump() wrote it: {name, categories: [{name, description}]}.
    taxonomy = job.taxonomy if categories else {"name": job.taxonomy["name"]}
    return {
        "id": job.id,
        "name": job.name,
        "source": job.source,
        "kind": job.kind,
        "status": job.status,
        "phase": job.phase,
        "error": job.error,
        "created_at": job.created_at,
        "start_time": job.start_time,
        "end_time": job.end_time,
        "cancel_requested_at": job.cancel_requested_at,
        "parent_id": job.parent_id,
        "resumed_by": job.resumed_by,
        "taxonomy": taxonomy,
        "classifier": job.classifier,
        "timings": job.timings,
        "progress": {
            "files_total": progress.files_total,
            "files_done": progress.files_done,
            "files_failed": progress.files_failed,
            "papers": progress.papers,
        },
    }


def job_answer(snapshot: JobSnapshot, status_code: int = 200) -> JSONAnswer:
    return JSONAnswer(job_json(snapshot), status_code=status_code)


def history_answer(snapshots: Sequence[JobSnapshot], next_cursor: int | None) -> JSONAnswer:
    return JSONAnswer(
        {
            "items": [job_json(snapshot, categories=False) for snapshot in snapshots],
            "next_cursor": str(next_cursor) if next_cursor is not None else None,
        }
    )


def paged_answer(
    request: Request, rows: list[dict[str, Any]], limit: int | None, *, cursor: str
) -> JSONAnswer:
    """A page of rows (read one beyond `limit`, to know whether more follow); when more do, a
    `Link` header (RFC 8288) names the next page, after the last row's `cursor` value."""
    if limit is None or len(rows) <= limit:
        return JSONAnswer(rows)
    page = rows[:limit]
    following = request.url.include_query_params(after=page[-1][cursor], limit=limit)
    # Relative: the Host header a client sent (or a proxy rewrote) never names the next page.
    next_page = f"{following.path}?{following.query}"
    return JSONAnswer(page, headers={"Link": f'<{next_page}>; rel="next"'})
