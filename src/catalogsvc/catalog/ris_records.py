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
from catalogsvc.catalog.entry_types import EntryKind, entry_kind, page_bounds
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
    """JOUR, CPAPER, RPRT or THES as the paper's type and fields allow (entry_types.py),
    GEN otherwise."""
    kind = entry_kind(paper)
    tags = [("TY", kind.ris), ("TI", display_title(paper))]
    for author in paper.authors:
        if author.strip():
            tags.append(("AU", _ris_name(author)))
    if paper.year is not None:
        tags.append(("PY", str(paper.year)))
    tags += _publication_tags(paper, kind)
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


def _publication_tags(paper: Paper, kind: EntryKind) -> list[tuple[str, str]]:
    tags = []
    if paper.venue:
        # T2 is the container in every reference type; JO names a journal's.
        tags.append(("T2", paper.venue))
        if kind.ris == "JOUR":
            tags.append(("JO", paper.venue))
    first, last = page_bounds(paper.page_range)
    numbers = [
        ("VL", paper.volume),
        ("IS", paper.issue),
        ("SP", first),
        ("EP", last),
        ("PB", paper.publisher),
        ("SN", paper.issn),
    ]
    return tags + [(tag, value) for tag, value in numbers if value]


def _ris_name(author: str) -> str:
    name = split_person_name(collapse_whitespace(author))
    return ", ".join(part for part in (name.family, name.given, name.suffix) if part)
