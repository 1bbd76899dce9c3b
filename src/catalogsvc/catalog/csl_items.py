"""The CSL-JSON catalog: a list of CSL items, as citeproc, pandoc and Zotero read them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from catalogsvc.catalog.citation_keys import assign_citation_keys
from catalogsvc.catalog.contents import (
    CatalogHeader,
    CategoryGroup,
    arxiv_url,
    collapse_whitespace,
    display_title,
)
from catalogsvc.catalog.entry_types import entry_kind, page_bounds
from catalogsvc.catalog.names import split_person_name
from catalogsvc.domain import Paper


def render_csl_json(groups: Sequence[CategoryGroup], header: CatalogHeader) -> str:
    # CSL-JSON is a bare list of items, with no place for the header: callers that must
    # flag a partial catalog do so beside the file (filename, HTTP header, job status).
    papers = [paper for group in groups for paper in group.papers]
    items = [
        csl_item(key, paper)
        for key, paper in zip(assign_citation_keys(papers), papers, strict=True)
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def csl_item(key: str, paper: Paper) -> dict[str, Any]:
    """article-journal, paper-conference, report or thesis as the paper's type and fields
    allow (entry_types.py), article (a preprint or a paper of unknown venue) otherwise."""
    item: dict[str, Any] = {
        "id": key,
        "type": entry_kind(paper).csl,
        "title": display_title(paper),
    }
    authors = [_csl_name(author) for author in paper.authors if author.strip()]
    if authors:
        item["author"] = authors
    if paper.year is not None:
        item["issued"] = {"date-parts": [[paper.year]]}
    item.update(_publication_fields(paper))
    if paper.doi:
        item["DOI"] = paper.doi.strip()
    if paper.arxiv_id:
        item["note"] = f"arXiv: {paper.arxiv_id.strip()}"
        item["URL"] = arxiv_url(paper.arxiv_id)
    if paper.abstract:
        item["abstract"] = collapse_whitespace(paper.abstract)
    if paper.category:
        item["keyword"] = paper.category
    item["number-of-pages"] = paper.pages
    return item


def _publication_fields(paper: Paper) -> dict[str, str]:
    first, last = page_bounds(paper.page_range)
    fields = {
        "container-title": paper.venue,
        "volume": paper.volume,
        "issue": paper.issue,
        "page": f"{first}-{last}" if first and last else first,
        "publisher": paper.publisher,
        "ISSN": paper.issn,
    }
    return {name: collapse_whitespace(value) for name, value in fields.items() if value}


def _csl_name(author: str) -> dict[str, str]:
    name = split_person_name(collapse_whitespace(author))
    csl_name = {"family": name.family}
    if name.given:
        csl_name["given"] = name.given
    if name.suffix:
        csl_name["suffix"] = name.suffix
    return csl_name
