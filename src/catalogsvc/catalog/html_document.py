"""The HTML catalog: a standalone page with a table of contents and one card per paper."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from catalogsvc.catalog.contents import (
    PARTIAL_NOTICE,
    CatalogHeader,
    CategoryGroup,
    arxiv_url,
    contents_line,
    display_title,
    doi_url,
)
from catalogsvc.catalog.entry_types import venue_line
from catalogsvc.domain import Paper

# The page only needs its own inline styles; forbidding everything else means text that
# slipped past escaping still could not load or run anything.
_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
_STYLESHEET = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.25rem; }
.partial { background: #fff4ce; border-left: 4px solid #e0a800; padding: 0.5rem 1rem; }
nav ul { columns: 2; }
article { border-top: 1px solid #ddd; padding: 0.5rem 0; }
article h3 { margin: 0.25rem 0; font-size: 1.05rem; }
.meta, .links { margin: 0.25rem 0; color: #555; }
details { margin-top: 0.25rem; }
"""


def render_html(groups: Sequence[CategoryGroup], header: CatalogHeader) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CONTENT_SECURITY_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(header.title)}</title>",
        f"<style>{_STYLESHEET}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(header.title)}</h1>",
    ]
    if header.partial:
        parts.append(f'<p class="partial" role="status">{escape(PARTIAL_NOTICE)}</p>')
    parts += [
        f"<p>Job {escape(header.job_id)}: {escape(contents_line(groups))}.</p>",
        "</header>",
        *_table_of_contents(groups),
        "<main>",
    ]
    for index, group in enumerate(groups):
        parts += [
            f'<section id="{_section_id(index)}">',
            f"<h2>{escape(group.name)}</h2>",
            *(_paper_card(paper) for paper in group.papers),
            "</section>",
        ]
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _table_of_contents(groups: Sequence[CategoryGroup]) -> list[str]:
    items = [
        f'<li><a href="#{_section_id(index)}">{escape(group.name)}</a> ({len(group.papers)})</li>'
        for index, group in enumerate(groups)
    ]
    return ["<nav>", "<h2>Contents</h2>", "<ul>", *items, "</ul>", "</nav>"]


def _section_id(index: int) -> str:
    # Ids come from positions, not names, so no category name has to be made id-safe.
    return f"category-{index + 1}"


def _paper_card(paper: Paper) -> str:
    parts = ['<article class="paper">', f"<h3>{escape(display_title(paper))}</h3>"]
    meta = []
    if paper.authors:
        meta.append(escape(", ".join(paper.authors)))
    if venue := venue_line(paper):
        meta.append(f"<cite>{escape(venue)}</cite>")
    if paper.year is not None:
        meta.append(str(paper.year))
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    links = []
    if paper.doi:
        links.append(_link(doi_url(paper.doi), f"doi:{paper.doi}"))
    if paper.arxiv_id:
        links.append(_link(arxiv_url(paper.arxiv_id), f"arXiv:{paper.arxiv_id}"))
    if links:
        parts.append(f'<p class="links">{" · ".join(links)}</p>')
    if paper.abstract:
        parts.append(
            f"<details><summary>Abstract</summary><p>{escape(paper.abstract)}</p></details>"
        )
    parts.append("</article>")
    return "\n".join(parts)


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(text)}</a>'
