"""The RIS catalog: one TY ... ER record per paper, as reference managers import them."""

from __future__ import annotations

from collections.abc import Sequence

from catalogsvc.catalog.contents import (
    PARTIAL_NOTICE,
    CatalogHeader,
    CategoryGroup,
    arxiv_url,
    collapse_whitespace,
    display_title,
)
from catalogsvc.catalog.names import split_person_name
from catalogsvc.domain import Paper

RIS_LINE_END = "\r\n"


def render_ris(groups: Sequence[CategoryGroup], header: CatalogHeader) -> str:
    lines: list[str] = []
    if header.partial:
        # Readers skip text before the first TY; Zotero tolerates up to four such lines.
        lines += [PARTIAL_NOTICE, ""]
    for group in groups:
        for paper in group.papers:
            lines += ris_record(paper)
    return "".join(line + RIS_LINE_END for line in lines)


def ris_record(paper: Paper) -> list[str]:
    """JOUR when a DOI says the paper was published, GEN otherwise."""
    tags = [("TY", "JOUR" if paper.doi else "GEN"), ("TI", display_title(paper))]
    for author in paper.authors:
        if author.strip():
            tags.append(("AU", _ris_name(author)))
    if paper.year is not None:
        tags.append(("PY", str(paper.year)))
    if paper.doi:
        tags.append(("DO", paper.doi))
    if paper.arxiv_id:
        tags += [("UR", arxiv_url(paper.arxiv_id)), ("N1", f"arXiv: {paper.arxiv_id}")]
    if paper.abstract:
        tags.append(("AB", paper.abstract))
    if paper.category:
        tags.append(("KW", paper.category))
    # RIS is line-based: collapsing whitespace keeps a value from starting a new tag line.
    lines = [f"{tag}  - {collapse_whitespace(value)}" for tag, value in tags]
    return [*lines, "ER  - ", ""]


def _ris_name(author: str) -> str:
    name = split_person_name(collapse_whitespace(author))
    return ", ".join(part for part in (name.family, name.given, name.suffix) if part)
