"""Render a job's papers as a downloadable catalog in one of the supported formats."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from catalogsvc.catalog.bibtex_library import render_bibtex
from catalogsvc.catalog.contents import (
    CatalogHeader,
    CategoryGroup,
    group_by_category,
)
from catalogsvc.catalog.csl_items import render_csl_json
from catalogsvc.catalog.csv_table import render_csv
from catalogsvc.catalog.html_document import render_html
from catalogsvc.catalog.json_document import render_json
from catalogsvc.catalog.markdown_document import render_markdown
from catalogsvc.catalog.ris_records import render_ris
from catalogsvc.domain import JobPhase, JobStatus, Paper


class CatalogFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    json = "json"
    bibtex = "bibtex"
    csv = "csv"
    csl_json = "csl-json"
    ris = "ris"


@dataclass(frozen=True)
class RenderedCatalog:
    """A catalog ready to be served or written: UTF-8 bytes, their media type, a file name."""

    content: bytes
    media_type: str
    filename: str


@dataclass(frozen=True, slots=True)
class _FormatSpec:
    render: Callable[[Sequence[CategoryGroup], CatalogHeader], str]
    media_type: str
    extension: str


_FORMAT_SPECS = {
    CatalogFormat.markdown: _FormatSpec(render_markdown, "text/markdown; charset=utf-8", "md"),
    CatalogFormat.html: _FormatSpec(render_html, "text/html; charset=utf-8", "html"),
    CatalogFormat.json: _FormatSpec(render_json, "application/json", "json"),
    CatalogFormat.bibtex: _FormatSpec(render_bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    CatalogFormat.csv: _FormatSpec(render_csv, "text/csv; charset=utf-8", "csv"),
    CatalogFormat.csl_json: _FormatSpec(
        render_csl_json, "application/vnd.citationstyles.csl+json", "csl.json"
    ),
    CatalogFormat.ris: _FormatSpec(
        render_ris, "application/x-research-info-systems; charset=utf-8", "ris"
    ),
}
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9_-]")


def catalog_media_types() -> list[str]:
    """The media type of every format, without parameters, as an API schema lists them."""
    return [spec.media_type.partition(";")[0] for spec in _FORMAT_SPECS.values()]


def render_catalog(
    fmt: CatalogFormat, papers: Sequence[Paper], *, job_id: str, title: str, partial: bool
) -> RenderedCatalog:
    """Render papers grouped by category; `partial` marks a job that stopped early."""
    spec = _FORMAT_SPECS[fmt]
    header = CatalogHeader(job_id=job_id, title=title, partial=partial)
    text = spec.render(group_by_category(papers), header)
    # The file name ends up in a Content-Disposition header, so it keeps to safe characters.
    safe_job_id = _UNSAFE_IN_FILENAME.sub("_", job_id)
    return RenderedCatalog(
        content=text.encode("utf-8"),
        media_type=spec.media_type,
        filename=f"catalog-{safe_job_id}.{spec.extension}",
    )


def is_partial(status: JobStatus, phase: JobPhase, *, files_done: int, files_total: int) -> bool:
    """Whether an ended job's catalog lacks papers or categories: it stopped before every file
    was read and every paper classified (a job stopped while writing its catalog lacks none)."""
    if status is JobStatus.completed:
        return False
    return files_done < files_total or phase not in (JobPhase.cataloging, JobPhase.done)


def render_job_catalog(
    fmt: CatalogFormat, papers: Sequence[Paper], *, job_id: str, partial: bool
) -> RenderedCatalog:
    """The catalog of one job, as the API, the CLI and the catalog phase write it."""
    return render_catalog(fmt, papers, job_id=job_id, title="Paper catalog", partial=partial)
