"""Where a paper was published — venue, volume, issue, pages, publisher, ISSN and type — from
what publishers print on the first pages (citation lines in running headers and footers) and
from the PDF's embedded metadata."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from catalogsvc.domain import FieldSource, PaperType
from catalogsvc.extraction.embedded_metadata import EmbeddedMetadata
from catalogsvc.extraction.pdf_layout import TextLine
from catalogsvc.extraction.text_cleanup import clean_text
from catalogsvc.extraction.venue_names import (
    conference_from_acronym,
    expand_abbreviation,
    looks_like_venue,
    tidy_venue,
)

_NUMBER = r"\d{1,5}"
_PAGES = r"e?\d{1,7}(?:\s*[-\u2013e]\s*\d{1,7})?"
# "Journal of Open Source Education, 2(11), 32."
_VOLUME_ISSUE = re.compile(
    rf"(?P<venue>[A-Z][^.;:()]{{2,120}}?),\s*(?P<volume>{_NUMBER})\s*\((?P<issue>[\w-]{{1,9}})\)"
    rf",\s*(?P<pages>{_PAGES})"
)
# "Journal of Trauma Management & Outcomes 2010, 4:1", "Postgrad Med J 2010;86:272e278",
# "eLife 2012;1:e00353"
_YEAR_VOLUME = re.compile(
    rf"(?P<venue>[A-Z][A-Za-z&.' -]{{1,120}}?)\s+(?P<year>(?:19|20)\d\d)(?:\s*[,;]\s*|\s+)"
    rf"(?P<volume>{_NUMBER})(?:\s*\((?P<issue>[\w-]{{1,9}})\))?\s*:\s*(?P<pages>{_PAGES})"
)
# "Dhaka Univ. J. Pharm. Sci. 8(1): 7-10, 2009", "Hoehnea 49: e1112020, 2022",
# "TransInformação, Campinas, 33:e200057, 2021"
_VOLUME_COLON = re.compile(
    rf"(?P<venue>[A-Z][\w&.' -]{{1,120}}?)(?:,\s*[A-Z][\w ]{{1,30}},)?\s+(?P<volume>{_NUMBER})"
    rf"(?:\s*\((?P<issue>[\w-]{{1,9}})\))?\s*:\s*(?P<pages>{_PAGES}),\s*(?P<year>(?:19|20)\d\d)\b"
)
# "JOURNAL OF COMPUTATIONAL PHYSICS 63, 222-235 (1986)", "PRL 116, 061102 (2016)"
_VOLUME_PAGES_YEAR = re.compile(
    rf"(?P<venue>[A-Z][A-Za-z&.' -]{{1,120}}?)\s+(?P<volume>{_NUMBER}),\s*(?P<pages>{_PAGES})"
    rf"\s*\((?P<year>(?:19|20)\d\d)\)"
)
# "ReScience C 6.1 (#21) - Bond-Lamberty 2021": volume.issue and the article number
_VOLUME_DOT_ISSUE = re.compile(
    r"(?P<venue>[A-Z][A-Za-z ]{1,60}?)\s+(?P<volume>\d{1,3})\.(?P<issue>\d{1,2})"
    r"(?:\s*\(#(?P<pages>\d{1,5})\))?\s*[-\u2013]\s*\S"
)
# Hindawi and similar: "Volume 2010, Article ID 157939, 6 pages"
_ARTICLE_ID = re.compile(
    rf"Volume\s+(?P<volume>{_NUMBER}),\s*Article\s+ID\s+(?P<pages>\d{{1,9}})", re.IGNORECASE
)
_CITATION_PATTERNS = (
    _VOLUME_ISSUE,
    _YEAR_VOLUME,
    _VOLUME_COLON,
    _VOLUME_PAGES_YEAR,
    _VOLUME_DOT_ISSUE,
)
_SPACED_CAPITALS = re.compile(r"^(?:[A-Z] ){3,}[A-Z](?: [A-Z])*$")
_SERVERS = ("arXiv", "medRxiv", "bioRxiv", "ChemRxiv", "SSRN")
_PREPRINT_STAMP = re.compile(rf"\b({'|'.join(_SERVERS)})(?::\s*\d|\s+preprint\b)", re.I)
_STAMP_LINES = 120
_MAX_LINES_ABOVE = 3
_CITATION_NUMBERS = re.compile(
    r"\d\s*[(,:;]\s*e?\d|\d\s*\(#?\d|\d\.\d{1,2}\b|\((?:19|20)\d\d\)|Article ID", re.IGNORECASE
)
_MARGIN = 0.12  # running heads and feet: the top and bottom eighth of a page
_PUBLISHER = re.compile(
    r"\b(?:Published by(?: the)?|©\s*(?:19|20)\d\d,?)\s+(?P<name>[A-Z][\w&.,' -]{2,80}?"
    r"(?:Society|Press|Publishing(?: Corporation| Group)?|Publishers|Springer(?: Nature)?"
    r"|Elsevier(?: B\.V\.| Inc\.| Ltd)?|Wiley|Limited|Inc\.|Ltd))\b"
)
_PUBLISHER_LINE = re.compile(
    r"^(?P<name>[A-Z][\w&' -]{2,60}(?:Publishing Corporation|Publishing Group|Press|Society))$"
)
_FILE_NAME = re.compile(r"^\S+\.(?:dvi|tex|pdf|ps|docx?)$", re.IGNORECASE)
_ISSN = re.compile(r"\b(?:e-?)?ISSN:?\s*(?P<issn>\d{4}-\d{3}[\dXx])\b")


@dataclass(frozen=True, slots=True)
class Publication:
    venue: str | None = None
    volume: str | None = None
    issue: str | None = None
    page_range: str | None = None
    publisher: str | None = None
    issn: str | None = None
    type: PaperType | None = None
    year: int | None = None  # the year a citation line prints
    sources: dict[str, FieldSource] | None = None

    def paper_fields(self) -> dict[str, Any]:
        """The fields an ExtractedPaper takes from it, by name."""
        return {name: getattr(self, name) for name in (*_FIELDS, "type")}


def find_publication(
    pages: Iterable[list[TextLine]], height: float, metadata: EmbeddedMetadata, *, has_doi: bool
) -> Publication:
    """The publication fields the first pages and the metadata give; each field's source.
    The XMP's publication fields first, then what the pages print (running heads and feet
    before the body, where a reference may be quoted), then the Info subject."""
    page_lines = [line for page in pages for line in page]
    lines = [text for line in page_lines if (text := clean_text(line.text))]
    margins = [
        text
        for line in page_lines
        if (line.y1 < _MARGIN * height or line.y0 > (1 - _MARGIN) * height)
        and (text := clean_text(line.text))
    ]
    found = _from_xmp(metadata)
    cited = _from_citations(margins)
    found = _merge(found, cited if cited.volume or cited.page_range else _from_citations(lines))
    heading = _spaced_heading(lines)
    if heading and (found.venue is None or len(found.venue) < len(heading)):
        sources = {**(found.sources or {}), "venue": FieldSource.pdf}
        found = replace(found, venue=heading, sources=sources)
    found = _merge(found, _from_subject(metadata), FieldSource.metadata)
    found = _merge(found, Publication(venue=_preprint_server(lines)))
    found = _merge(found, _from_pdf_lines(lines))
    return replace(found, type=_paper_type(found, lines, has_doi=has_doi))


def _from_xmp(metadata: EmbeddedMetadata) -> Publication:
    found = Publication(
        venue=tidy_venue(metadata.publication_name) if metadata.publication_name else None,
        volume=metadata.volume,
        issue=metadata.issue,
        page_range=metadata.page_range,
        publisher=metadata.publisher,
        issn=metadata.issn,
    )
    sources = {name: FieldSource.metadata for name in _FIELDS if getattr(found, name)}
    return replace(found, sources=sources)


def _from_subject(metadata: EmbeddedMetadata) -> Publication:
    """A subject that cites the paper or names its journal ("Nature, doi:…"), or a conference
    acronym in a title that is a file name ("aistats2007-ibpsb.dvi")."""
    if metadata.subject:
        cited = _from_citation(metadata.subject)
        if cited.venue is not None:
            return cited
        if venue := _subject_venue(metadata.subject):
            return Publication(venue=venue)
    if metadata.raw_title and _FILE_NAME.search(metadata.raw_title):
        return Publication(venue=conference_from_acronym(metadata.raw_title))
    return Publication()


def _subject_venue(subject: str) -> str | None:
    """ "Nature, doi:…" or "Rehabilitation Research and Practice"; never a topic list
    such as "Reproduction, Earth sciences"."""
    name = re.split(r",\s*doi\b|\s+doi:", subject, maxsplit=1, flags=re.I)[0].strip(" .,")
    if "," in name:
        return None
    venue = tidy_venue(name)
    return venue if looks_like_venue(venue, strict=name == subject.strip(" .,")) else None


def _from_citations(lines: list[str]) -> Publication:
    """The first citation line of the pages; a venue name broken over the lines above its
    numbers ("JOURNAL / OF COMPUTATIONAL / PHYSICS / 63, 222-235 (1986)") is joined again."""
    for index in range(len(lines)):
        if not _CITATION_NUMBERS.search(lines[index]):
            continue  # a citation's numbers end it: only such a line can end one
        best = Publication()
        for above in range(_MAX_LINES_ABOVE + 1):
            if above > index:
                break
            text = " ".join(lines[index - above : index + 1])
            cited = _from_citation(text, at_start=above > 0)
            if cited.volume is None and cited.page_range is None:
                continue
            if best.volume is None or (cited.venue and len(cited.venue) > len(best.venue or "")):
                best = cited
        if best.volume is not None or best.page_range is not None:
            return best
    return Publication()


def _from_citation(text: str, *, at_start: bool = False) -> Publication:
    """The venue and numbers of one citation line; with `at_start`, only a venue that starts
    the text (the lines joined above it are all venue)."""
    for pattern in _CITATION_PATTERNS:
        for match in pattern.finditer(text):
            # A venue that may hold full stops ("Dhaka Univ. J. Pharm. Sci.") could take in
            # the prose above it: below the line it starts on, it must start the text.
            if at_start and pattern is not _VOLUME_ISSUE and match.start() != 0:
                break
            parts = match.groupdict()
            venue = expand_abbreviation(tidy_venue(parts["venue"]))
            # "ReScience C 6.1 (#21) -" is specific enough; elsewhere a name of several
            # words must carry a venue word ("Journal", "Review", "Med", …).
            strict = pattern is not _VOLUME_DOT_ISSUE and len(venue.split()) > 1
            if not looks_like_venue(venue, strict=strict) or _placeholder(parts):
                continue
            return Publication(
                venue=venue,
                volume=parts.get("volume"),
                issue=parts.get("issue"),
                page_range=_tidy_pages(parts.get("pages")),
                year=int(parts["year"]) if parts.get("year") else None,
            )
    article = None if at_start else _ARTICLE_ID.search(text)
    if article is not None:
        return Publication(volume=article["volume"], page_range=article["pages"])
    return Publication()


def _preprint_server(lines: list[str]) -> str | None:
    """ "arXiv preprint" for a page stamped "arXiv:1511.01097v1 [astro-ph.GA] 3 Nov 2015"."""
    for line in lines[:_STAMP_LINES]:
        if match := _PREPRINT_STAMP.search(line):
            server = next(s for s in _SERVERS if s.lower() == match[1].lower())
            return f"{server} preprint"
    return None


def _from_pdf_lines(lines: list[str]) -> Publication:
    publisher = issn = None
    for line in lines:
        if publisher is None and (match := _PUBLISHER.search(line) or _PUBLISHER_LINE.match(line)):
            publisher = match["name"].strip(" ,.")
        if issn is None and (match := _ISSN.search(line)):
            issn = match["issn"].upper()
    return Publication(publisher=publisher, issn=issn)


def _spaced_heading(lines: list[str]) -> str | None:
    """A letter-spaced masthead, "P H Y S I C A L R E V I E W L E T T E R S", as words."""
    for line in lines[:40]:
        if _SPACED_CAPITALS.match(line):
            words = re.split(r" {2,}", line) if "  " in line else [line]
            joined = " ".join(word.replace(" ", "") for word in words)
            name = expand_abbreviation(tidy_venue(joined))
            if looks_like_venue(name, strict=False):
                return name
    return None


def _paper_type(found: Publication, lines: list[str], *, has_doi: bool) -> PaperType | None:
    venue = (found.venue or "").lower()
    if re.search(r"proceedings|conference|workshop|symposium", venue):
        return PaperType.proceedings_paper
    if re.search(r"\b(arxiv|medrxiv|biorxiv|preprint)\b", venue):
        return PaperType.preprint
    if found.venue:
        return PaperType.article
    return PaperType.article if has_doi else None


def _merge(
    found: Publication, more: Publication, source: FieldSource = FieldSource.pdf
) -> Publication:
    """`found` with the fields it lacks taken from `more`."""
    sources = dict(found.sources or {})
    values: dict[str, Any] = {}
    for name in _FIELDS:
        if getattr(found, name) is None and (value := getattr(more, name)) is not None:
            values[name] = value
            sources[name] = source
    if found.year is None and more.year is not None:
        values["year"] = more.year
    return replace(found, **values, sources=sources) if values else found


def _placeholder(parts: dict[str, str | None]) -> bool:
    """A template's "000, 000-000 (0000)": no real volume."""
    return (parts.get("volume") or "").strip("0") == ""


def _tidy_pages(pages: str | None) -> str | None:
    if pages is None:
        return None
    # "272e278" is how some publishers print 272-278 on an e-first page.
    match = re.fullmatch(r"(\d+)\s*[-\u2013e]\s*(\d+)", pages.strip())
    return f"{match[1]}-{match[2]}" if match else pages.strip()


_FIELDS = ("venue", "volume", "issue", "page_range", "publisher", "issn")
