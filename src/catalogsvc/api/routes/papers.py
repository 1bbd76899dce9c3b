"""One paper: read it, correct it."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field

from catalogsvc.api.deps import PaperServiceDep, SignedUrlPaperServiceDep
from catalogsvc.api.paper_schemas import PaperCorrection
from catalogsvc.catalog.catalogs import (
    CatalogFormat,
    RenderedCatalog,
    catalog_media_types,
    render_catalog,
)
from catalogsvc.catalog.in_thread import render_in_thread
from catalogsvc.domain import Paper
from catalogsvc.store.library import PaperQuery

router = APIRouter(prefix="/api", tags=["papers"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No paper with this id"}}
LIBRARY_EXPORT_LIMIT = 10_000
# A database integer: a larger id is malformed (422), not an overflow.
PaperId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The paper's id.")]
SelectedId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class LibraryPaper(Paper):
    same_work: list[int] | None = Field(
        default=None,
        description="With `one_per_work`: the ids of this work's other papers you may see.",
    )


class PaperPage(BaseModel):
    """One page of the library, newest first."""

    items: list[LibraryPaper]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


async def library_query(
    q: Annotated[
        str | None,
        Query(max_length=500, description="Words, each in the title, authors, abstract or venue."),
    ] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    year_from: Annotated[int | None, Query(ge=1000, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1000, le=2100)] = None,
    venue: Annotated[str | None, Query(max_length=300, description="Part of the venue.")] = None,
    job: Annotated[str | None, Query(max_length=64, description="Only this job's papers.")] = None,
    needs_review: Annotated[
        bool | None,
        Query(description="Missing title, authors or year, or a category score under 0.3."),
    ] = None,
    paper_id: Annotated[
        list[SelectedId] | None,
        Query(alias="id", max_length=1000, description="Only these papers (a selection)."),
    ] = None,
) -> PaperQuery:
    return PaperQuery(
        text=q,
        category=category,
        year_from=year_from,
        year_to=year_to,
        venue=venue,
        job_id=job,
        needs_review=needs_review,
        ids=tuple(paper_id) if paper_id is not None else None,
    )


LibraryQuery = Annotated[PaperQuery, Depends(library_query)]
OnePerWork = Annotated[
    bool,
    Query(
        description="List each work once: the newest paper found of it, with its others' ids "
        "(same DOI, arXiv id or file content, or a near-identical title, first author and year)."
    ),
]


@router.get("/papers")
async def search_papers(
    papers: PaperServiceDep,
    query: LibraryQuery,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    one_per_work: OnePerWork = False,
) -> PaperPage:
    """Papers of every job the caller may see: search, filters and paging like the history."""
    asked = replace(query, limit=limit, before_id=cursor)
    if one_per_work:
        works, next_id = await papers.search_works(asked)
        items = [LibraryPaper(**work.paper.model_dump(), same_work=work.others) for work in works]
    else:
        found, next_id = await papers.search(asked)
        items = [LibraryPaper(**paper.model_dump()) for paper in found]
    return PaperPage(items=items, next_cursor=str(next_id) if next_id is not None else None)


@router.get(
    "/papers/catalog",
    response_class=Response,
    responses={
        200: {
            "description": "The catalog file, in the media type of its format",
            "content": {media_type: {} for media_type in catalog_media_types()},
        }
    },
)
async def download_library_catalog(
    papers: SignedUrlPaperServiceDep,
    query: LibraryQuery,
    format: Annotated[CatalogFormat, Query(description="The catalog format.")] = (
        CatalogFormat.markdown
    ),
    one_per_work: OnePerWork = False,
) -> Response:
    """The papers a library query finds, as a catalog in any format: the newest 10,000 at
    most, with an `X-Catalog-Truncated: 10000` header when more matched."""
    asked = replace(query, limit=LIBRARY_EXPORT_LIMIT)
    if one_per_work:
        works, more = await papers.search_works(asked)
        found = [work.paper for work in works]
    else:
        found, more = await papers.search(asked)

    def render() -> RenderedCatalog:
        return render_catalog(format, found, job_id="library", title="Library", partial=False)

    rendered = await render_in_thread(render, len(found))
    return Response(
        content=rendered.content,
        media_type=rendered.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{rendered.filename}"',
            # More papers matched than one catalog holds: narrow the query for the rest.
            **({"X-Catalog-Truncated": str(LIBRARY_EXPORT_LIMIT)} if more is not None else {}),
        },
    )


@router.get("/papers/{paper_id}/duplicates", responses=NOT_FOUND)
async def paper_duplicates(paper_id: PaperId, papers: PaperServiceDep) -> list[Paper]:
    """The same work elsewhere: the same DOI, arXiv id or file content, or a near-identical
    title with the same first author and year, in any job the caller may see."""
    return await papers.duplicates(paper_id)


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
