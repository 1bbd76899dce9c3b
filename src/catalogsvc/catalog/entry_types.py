"""Which kind of entry a paper becomes in each format, chosen so that the fields that kind
requires exist (pybtex's `plain` style: an @article needs author, title, journal and year)."""

from __future__ import annotations

from dataclasses import dataclass

from catalogsvc.domain import Paper, PaperType


@dataclass(frozen=True, slots=True)
class EntryKind:
    bibtex: str
    csl: str
    ris: str
    venue_field: str | None  # the BibTeX field the venue goes in


JOURNAL_ARTICLE = EntryKind("article", "article-journal", "JOUR", "journal")
CONFERENCE_PAPER = EntryKind("inproceedings", "paper-conference", "CPAPER", "booktitle")
REPORT = EntryKind("techreport", "report", "RPRT", None)
THESIS = EntryKind("phdthesis", "thesis", "THES", None)
PREPRINT = EntryKind("misc", "article", "GEN", "howpublished")
OTHER = EntryKind("misc", "article", "GEN", "howpublished")


def entry_kind(paper: Paper) -> EntryKind:
    """The paper's kind where its required fields are there, else a kind that needs none."""
    cited = bool(paper.authors) and paper.year is not None
    if paper.type is PaperType.preprint:
        return PREPRINT
    if paper.type is PaperType.proceedings_paper and paper.venue and cited:
        return CONFERENCE_PAPER
    if paper.type is PaperType.report and paper.publisher and cited:
        return REPORT
    if paper.type is PaperType.thesis and paper.publisher and cited:
        return THESIS
    if paper.type in (None, PaperType.article) and paper.venue and cited:
        return JOURNAL_ARTICLE
    return OTHER


def page_bounds(page_range: str | None) -> tuple[str | None, str | None]:
    """First and last page of "222-235"; an article number ("e00353") is a first page only."""
    if not page_range:
        return None, None
    parts = [part.strip() for part in page_range.replace("\u2013", "-").split("-") if part.strip()]
    if not parts:
        return None, None
    return parts[0], parts[-1] if len(parts) > 1 else None


def venue_line(paper: Paper) -> str | None:
    """ "Journal of Computational Physics 63(2), 222-235" for the human-readable formats."""
    if not paper.venue:
        return None
    line = paper.venue
    if paper.volume:
        line += f" {paper.volume}"
        if paper.issue:
            line += f"({paper.issue})"
    if paper.page_range:
        line += f", {paper.page_range}"
    return line
