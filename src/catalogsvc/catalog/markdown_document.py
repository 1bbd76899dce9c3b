"""The Markdown catalog: one section per category, one subsection per paper."""

from __future__ import annotations

import re
from collections.abc import Sequence

from catalogsvc.catalog.contents import (
    PARTIAL_NOTICE,
    CatalogHeader,
    CategoryGroup,
    arxiv_url,
    collapse_whitespace,
    contents_line,
    display_title,
    doi_url,
)
from catalogsvc.catalog.entry_types import venue_line
from catalogsvc.domain import Paper

# Characters that start emphasis, links, code, HTML, entities, math or table cells anywhere
# in a line; CommonMark allows a backslash before any ASCII punctuation.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|~&!$])")
# What only matters at the start of a line: bullets, setext underlines, ordered list numbers.
_LINE_START_MARKER = re.compile(r"^[-+=]")
_ORDERED_LIST_MARKER = re.compile(r"^(\d+)\.")


def render_markdown(groups: Sequence[CategoryGroup], header: CatalogHeader) -> str:
    lines = [f"# {escape_markdown(header.title)}", ""]
    if header.partial:
        lines += [f"> **{escape_markdown(PARTIAL_NOTICE)}**", ""]
    lines += [
        f"Job {escape_markdown(header.job_id)}: {contents_line(groups)}.",
        "",
    ]
    for group in groups:
        lines += [f"## {escape_markdown(group.name)} ({len(group.papers)})", ""]
        for paper in group.papers:
            lines += _paper_lines(paper)
    return "\n".join(lines)


def escape_markdown(text: str) -> str:
    escaped = _INLINE_SPECIAL.sub(r"\\\1", collapse_whitespace(text))
    escaped = _LINE_START_MARKER.sub(lambda match: "\\" + match.group(), escaped)
    return _ORDERED_LIST_MARKER.sub(r"\1\\.", escaped)


def _paper_lines(paper: Paper) -> list[str]:
    lines = [f"### {escape_markdown(display_title(paper))}", ""]
    details = []
    if paper.authors:
        details.append(escape_markdown(", ".join(paper.authors)))
    if venue := venue_line(paper):
        details.append(f"*{escape_markdown(venue)}*")
    if paper.year is not None:
        details.append(str(paper.year))
    if paper.doi:
        details.append(f"[doi:{escape_markdown(paper.doi)}]({doi_url(paper.doi)})")
    if paper.arxiv_id:
        details.append(f"[arXiv:{escape_markdown(paper.arxiv_id)}]({arxiv_url(paper.arxiv_id)})")
    if details:
        lines += [" · ".join(details), ""]
    if paper.abstract:
        lines += [f"> {escape_markdown(paper.abstract)}", ""]
    return lines
