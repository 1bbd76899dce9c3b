"""One paper: read it, correct it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from catalogsvc.api.deps import PaperServiceDep
from catalogsvc.api.paper_schemas import PaperCorrection
from catalogsvc.domain import Paper

router = APIRouter(prefix="/api", tags=["papers"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No paper with this id"}}
# A database integer: a larger id is malformed (422), not an overflow.
PaperId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The paper's id.")]


@router.get("/papers/{paper_id}", responses=NOT_FOUND)
async def get_paper(paper_id: PaperId, papers: PaperServiceDep) -> Paper:
    """One paper, with where each of its fields came from (`sources`)."""
    return await papers.get_paper(paper_id)


@router.patch(
    "/papers/{paper_id}",
    responses={
        **NOT_FOUND,
        409: {"description": "The paper's job is still queued or running"},
        422: {"description": "A value is not valid; the field is named"},
    },
)
async def correct_paper(
    paper_id: PaperId, correction: PaperCorrection, papers: PaperServiceDep
) -> Paper:
    """Correct fields of a paper of an ended job: title, authors, year, doi, venue, volume,
    issue, page_range, publisher, issn, type, abstract or category (null clears a field).
    Each correction is kept with the source `user` over what a resume, a reclassify or an
    enrichment would set, and the job's catalogs show it."""
    return await papers.correct_paper(paper_id, correction.changes())
