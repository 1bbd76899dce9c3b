"""The PDF's own Info dictionary and XMP packet, with the usual junk filtered out."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pymupdf

from catalogsvc.extraction.identifiers import doi_from_pii, find_arxiv_ids, find_dois
from catalogsvc.extraction.text_cleanup import clean_text

_JUNK_TITLE = re.compile(
    r"(^microsoft (word|powerpoint)\b|^untitled\b|^pii\s*:|^doi\s*:|\.(docx?|dvi|tex|pdf|ps|rtf)$"
    r"|^slide \d|^title$|^paper$|^document\d*$|^layout \d|^\S+\.\S+$)",
    re.IGNORECASE,
)
_XMP_FIELD = re.compile(
    r"<(dc:title|dc:creator|prism:doi|dc:identifier|pdfx:doi|prism:coverDate"
    r"|prism:publicationDate|prism:publicationName|prism:volume|prism:number"
    r"|prism:startingPage|prism:endingPage|prism:issn|prism:eIssn|dc:publisher)[^>]*>(.*?)</\1>",
    re.DOTALL,
)
_XML_TAG = re.compile(r"<[^>]+>")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PDF_DATE_YEAR = re.compile(r"^(?:D:)?(1[89]\d\d|20\d\d)")


@dataclass(frozen=True, slots=True)
class EmbeddedMetadata:
    """What the PDF says about itself; to confirm what the page shows, not to trust blindly."""

    title: str | None = None
    author: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    creation_year: int | None = None
    published_year: int | None = None
    subject: str | None = None
    raw_title: str | None = None  # even a file name, e.g. "aistats2007-ibpsb.dvi"
    publication_name: str | None = None
    volume: str | None = None
    issue: str | None = None
    page_range: str | None = None
    publisher: str | None = None
    issn: str | None = None


def read_embedded_metadata(doc: pymupdf.Document) -> EmbeddedMetadata:
    """The Info dictionary and XMP fields of an open PDF."""
    info = doc.metadata or {}
    xmp = _xmp_fields(doc)
    title = _plausible_title(info.get("title") or "") or _plausible_title(xmp.get("dc:title", ""))
    author = clean_text(info.get("author") or "") or clean_text(xmp.get("dc:creator", ""))
    subject = clean_text(info.get("subject") or "")
    identifier_fields = (subject, info.get("keywords") or "")
    xmp_identifiers = (xmp.get(name, "") for name in ("prism:doi", "dc:identifier", "pdfx:doi"))
    identifiers = " ".join((*identifier_fields, *xmp_identifiers))
    dois = find_dois(identifiers)
    pii_doi = doi_from_pii(" ".join((info.get("title") or "", identifiers)))
    arxiv_ids = find_arxiv_ids(identifiers)
    published = _YEAR.search(xmp.get("prism:coverDate", "") + xmp.get("prism:publicationDate", ""))
    created = _PDF_DATE_YEAR.search(info.get("creationDate") or "")
    return EmbeddedMetadata(
        title=title,
        author=author or None,
        doi=dois[0][0] if dois else pii_doi,
        arxiv_id=arxiv_ids[0] if arxiv_ids else None,
        creation_year=int(created.group(1)) if created else None,
        published_year=int(published.group(1)) if published else None,
        subject=subject or None,
        raw_title=clean_text(info.get("title") or "") or None,
        publication_name=xmp.get("prism:publicationName") or None,
        volume=xmp.get("prism:volume") or None,
        issue=xmp.get("prism:number") or None,
        page_range=_page_range(xmp.get("prism:startingPage"), xmp.get("prism:endingPage")),
        publisher=xmp.get("dc:publisher") or None,
        issn=xmp.get("prism:issn") or xmp.get("prism:eIssn") or None,
    )


def _page_range(first: str | None, last: str | None) -> str | None:
    if not first:
        return None
    return f"{first}-{last}" if last and last != first else first


def _plausible_title(raw: str) -> str | None:
    title = clean_text(raw)
    if len(title) < 8 or " " not in title or _JUNK_TITLE.search(title):
        return None
    return title


def _xmp_fields(doc: pymupdf.Document) -> dict[str, str]:
    try:
        xml = doc.get_xml_metadata() or ""
    except (RuntimeError, ValueError):
        return {}
    fields: dict[str, str] = {}
    for name, value in _XMP_FIELD.findall(xml):
        text = html.unescape(_XML_TAG.sub(" ", value))
        fields.setdefault(name, clean_text(text))
    return fields
