"""The CSV catalog: one row per paper, rows ordered by category then title."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from catalogsvc.catalog.contents import CatalogHeader, CategoryGroup
from catalogsvc.domain import Paper

CSV_COLUMNS = (
    "category",
    "title",
    "authors",
    "year",
    "doi",
    "arxiv_id",
    "type",
    "venue",
    "volume",
    "issue",
    "page_range",
    "publisher",
    "issn",
    "abstract",
    "pages",
    "file_name",
    "sha256",
    "category_score",
    # A CSV has no header beyond its column names, so partiality travels on every row.
    "catalog_partial",
)
AUTHOR_SEPARATOR = "; "
# Spreadsheets run a cell starting with these as a formula (CSV injection); a leading
# apostrophe makes them show it as text.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(groups: Sequence[CategoryGroup], header: CatalogHeader) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for group in groups:
        for paper in group.papers:
            writer.writerow(_paper_row(group.name, paper, partial=header.partial))
    return buffer.getvalue()


def _paper_row(category: str, paper: Paper, *, partial: bool) -> dict[str, str]:
    return {
        "category": _text_cell(category),
        "title": _text_cell(paper.title or ""),
        "authors": _text_cell(AUTHOR_SEPARATOR.join(paper.authors)),
        "year": "" if paper.year is None else str(paper.year),
        "doi": _text_cell(paper.doi or ""),
        "arxiv_id": _text_cell(paper.arxiv_id or ""),
        "type": paper.type.value if paper.type else "",
        **{
            name: _text_cell(getattr(paper, name) or "")
            for name in ("venue", "volume", "issue", "page_range", "publisher", "issn")
        },
        "abstract": _text_cell(paper.abstract or ""),
        "pages": str(paper.pages),
        "file_name": _text_cell(paper.file_name),
        "sha256": paper.sha256,
        "category_score": "" if paper.category_score is None else str(paper.category_score),
        "catalog_partial": "true" if partial else "false",
    }


def _text_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text
