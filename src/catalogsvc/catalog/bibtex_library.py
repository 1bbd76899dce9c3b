"""The BibTeX catalog, built as a bibtexparser library and written by its writer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    MergeCoAuthors,
    MergeNameParts,
    NameParts,
    default_unparse_stack,
)
from bibtexparser.model import Entry, ExplicitComment, Field

from catalogsvc.catalog.citation_keys import assign_citation_keys
from catalogsvc.catalog.contents import (
    PARTIAL_NOTICE,
    CatalogHeader,
    CategoryGroup,
    collapse_whitespace,
    display_title,
)
from catalogsvc.catalog.entry_types import EntryKind, entry_kind, page_bounds
from catalogsvc.catalog.names import split_person_name
from catalogsvc.domain import Paper

# Braces become text commands rather than \{ \}: BibTeX counts every brace, escaped or not,
# so a lone "{" in a title would otherwise unbalance the whole entry.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _LATEX_ESCAPES))
# Verbatim fields (doi, eprint) are read literally by biblatex, so they are not escaped;
# only what could break the entry's syntax is dropped.
_UNSAFE_IN_VERBATIM = re.compile(r"[{}\\\s]")
_BIBTEX_AND = re.compile(r"\band\b", re.IGNORECASE)
_UNSAFE_IN_COMMENT = re.compile(r"[{}@\\]")  # a backslash would escape the closing brace


def render_bibtex(groups: Sequence[CategoryGroup], header: CatalogHeader) -> str:
    library = Library()
    library.add(ExplicitComment(_comment_text(f"{header.title} (job {header.job_id})")))
    if header.partial:
        library.add(ExplicitComment(_comment_text(PARTIAL_NOTICE)))
    papers = [paper for group in groups for paper in group.papers]
    keys = iter(assign_citation_keys(papers))
    for group in groups:
        library.add(ExplicitComment(_comment_text(f"Category: {group.name}")))
        library.add([bibtex_entry(next(keys), paper) for paper in group.papers])
    # The library is this call's own: written in place, not deep-copied block by block
    # (bibtexparser's default, 0.4 s for 3,000 entries).
    unparse_stack = [
        MergeNameParts(style="last", allow_inplace_modification=True),
        MergeCoAuthors(allow_inplace_modification=True),
        *default_unparse_stack(allow_inplace_modification=True),
    ]
    return write_string(library, unparse_stack=unparse_stack)


def bibtex_entry(key: str, paper: Paper) -> Entry:
    """@article, @inproceedings, @techreport or @phdthesis as the paper's type and fields
    allow (entry_types.py), @misc otherwise."""
    kind = entry_kind(paper)
    fields = [Field("title", escape_latex(display_title(paper)))]
    authors = [_name_parts(author) for author in paper.authors if author.strip()]
    if authors:
        fields.append(Field("author", authors))
    if paper.year is not None:
        fields.append(Field("year", str(paper.year)))
    fields += _publication_fields(paper, kind)
    if paper.doi:
        fields.append(Field("doi", _UNSAFE_IN_VERBATIM.sub("", paper.doi)))
    if paper.arxiv_id:
        fields.append(Field("eprint", _UNSAFE_IN_VERBATIM.sub("", paper.arxiv_id)))
        fields.append(Field("archiveprefix", "arXiv"))
    if paper.abstract:
        fields.append(Field("abstract", escape_latex(paper.abstract)))
    if paper.category:
        fields.append(Field("keywords", escape_latex(paper.category)))
    return Entry(kind.bibtex, key, fields)


def _publication_fields(paper: Paper, kind: EntryKind) -> list[Field]:
    fields = []
    if paper.venue and kind.venue_field:
        fields.append(Field(kind.venue_field, escape_latex(paper.venue)))
    if paper.volume:
        fields.append(Field("volume", escape_latex(paper.volume)))
    if paper.issue:
        fields.append(Field("number", escape_latex(paper.issue)))
    first, last = page_bounds(paper.page_range)
    if first:
        fields.append(Field("pages", escape_latex(f"{first}--{last}" if last else first)))
    if paper.publisher:
        place = {"techreport": "institution", "phdthesis": "school"}.get(kind.bibtex, "publisher")
        fields.append(Field(place, escape_latex(paper.publisher)))
    if paper.issn:
        fields.append(Field("issn", escape_latex(paper.issn)))
    return fields


def escape_latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(
        lambda match: _LATEX_ESCAPES[match.group()], collapse_whitespace(text)
    )


def _name_parts(author: str) -> NameParts:
    name = split_person_name(collapse_whitespace(author))
    return NameParts(
        first=[_name_token(name.given)] if name.given else [],
        last=[_name_token(name.family)],
        jr=[_name_token(name.suffix)] if name.suffix else [],
    )


def _name_token(text: str) -> str:
    escaped = escape_latex(text)
    if _BIBTEX_AND.search(escaped) or "," in escaped:
        # A brace group is one token to BibTeX, so "and" or a comma cannot split the name.
        return "{" + escaped + "}"
    return escaped


def _comment_text(text: str) -> str:
    return _UNSAFE_IN_COMMENT.sub("", collapse_whitespace(text))
