"""Read title, authors, year, DOI, arXiv id and abstract from a PDF's first pages (text path)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf

from catalogsvc.domain import ExtractedPaper, ExtractionMethod
from catalogsvc.errors import InvalidPDF
from catalogsvc.extraction.abstract import find_abstract
from catalogsvc.extraction.authors import find_authors, names_from_metadata
from catalogsvc.extraction.embedded_metadata import EmbeddedMetadata, read_embedded_metadata
from catalogsvc.extraction.header import find_title, header_stop, is_prose
from catalogsvc.extraction.identifiers import arxiv_year
from catalogsvc.extraction.page_identifiers import choose_arxiv_id, choose_doi
from catalogsvc.extraction.pdf_layout import TextLine, group_rows, line_pitch_ratio, read_lines
from catalogsvc.extraction.provenance import with_sources
from catalogsvc.extraction.publication import find_publication
from catalogsvc.extraction.side_byline import find_side_authors
from catalogsvc.extraction.years import find_year

NO_TEXT_LAYER = "no text layer; set CATALOGSVC_VISION_MODEL to read scanned pages"
_PDF_MAGIC = b"%PDF"
_MAGIC_WINDOW = 1024
# Author lists in the bottom quarter of page 1 may carry on at the top of page 2.
_SPILL_ZONE = 0.75
_COVER_PAGE_PROSE_LINES = 5
_SCAN_COVER = 0.8


def extract_paper(path: str) -> ExtractedPaper:
    """What the text layer of one PDF tells about the paper; raises InvalidPDF if unreadable."""
    data = _read_pdf_bytes(path)
    sha256 = hashlib.sha256(data).hexdigest()
    with _open_pdf(data) as doc:
        pages = doc.page_count
        try:
            return _extract_fields(doc, sha256, pages)
        except Exception as error:  # a readable PDF must degrade to warnings, never crash a job
            return ExtractedPaper(
                sha256=sha256,
                pages=pages,
                warnings=[f"could not read the header ({type(error).__name__}: {error})"],
            )


def _read_pdf_bytes(path: str) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InvalidPDF(f"The file cannot be read: {error.strerror or error}.") from error
    if not data:
        raise InvalidPDF("The file is empty (0 bytes), so it is not a readable PDF.")
    if _PDF_MAGIC not in data[:_MAGIC_WINDOW]:
        raise InvalidPDF("The file is not a PDF: it does not start with a %PDF header.")
    return data


def _open_pdf(data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError) as error:
        raise InvalidPDF("The PDF is corrupt or truncated and cannot be read.") from error
    if doc.needs_pass:
        doc.close()
        raise InvalidPDF("The PDF is encrypted and needs a password to be read.")
    if doc.page_count < 1:
        doc.close()
        raise InvalidPDF("The PDF has no pages.")
    return doc


def _extract_fields(doc: pymupdf.Document, sha256: str, pages: int) -> ExtractedPaper:
    metadata = read_embedded_metadata(doc)
    first_page = doc[0]
    lines = read_lines(first_page, 0)
    if not any(line.main_text for line in lines):
        return _from_metadata_only(metadata, sha256, pages)
    height = first_page.rect.height
    rows = group_rows(lines)
    title = find_title(rows, height, line_pitch_ratio(rows))
    second_page: list[TextLine] | None = None

    def page_two() -> list[TextLine]:
        nonlocal second_page
        if second_page is None:
            second_page = read_lines(doc[1], 1) if pages > 1 else []
        return second_page

    authors: list[str] = []
    header_bottom = title.bottom if title else 0.0
    if title is not None:
        stop = header_stop(rows, title)
        end = stop.y0 if stop is not None else height
        scan = find_authors(rows, top=title.bottom - 1, bottom=end + title.size / 2)
        if stop is not None:
            scan = find_side_authors(lines, scan, stop, title.bottom - 1) or scan
        if scan.pieces and end >= height and scan.last_y > height * _SPILL_ZONE:
            more = page_two()
            next_rows = group_rows(more)
            scan = scan.extend(find_authors(next_rows, top=0, bottom=height, after=scan))
        authors = scan.names
        header_bottom = max(header_bottom, scan.last_y)
    authors_on_page = bool(authors)
    if not authors:
        authors = names_from_metadata(metadata.author)
    x0, x1 = (title.x0, title.x1) if title else (0.0, first_page.rect.width)
    title_text = title.text if title else None
    abstract = find_abstract(lines, after_y=header_bottom, x0=x0, x1=x1, title=title_text)
    if abstract is None and pages > 1 and _is_cover_page(lines):
        abstract = find_abstract(
            lines + page_two(), after_y=header_bottom, x0=x0, x1=x1, title=title_text
        )
        if abstract is None and pages > 2 and _is_cover_page(page_two()):
            # Preprint title pages may take two pages before the abstract starts.
            front = page_two() + read_lines(doc[2], 2)
            abstract = find_abstract(front, after_y=0.0, x0=x0, x1=x1, title=title_text)
    doi = choose_doi(lines, height, metadata)
    arxiv_id = choose_arxiv_id(lines, height, metadata)
    publication = find_publication([lines], height, metadata, has_doi=doi is not None)
    if publication.venue is None and pages > 1:
        publication = find_publication([lines, page_two()], height, metadata, has_doi=bool(doi))
    printed_year = find_year(lines, height) or publication.year
    year = printed_year or _fallback_year(arxiv_id, metadata, first_page)
    from_page = {
        "title": title_text is not None,
        "authors": authors_on_page,
        "year": printed_year is not None or (arxiv_id is not None and year == arxiv_year(arxiv_id)),
        "doi": doi is not None and any(doi.lower() in line.text.lower() for line in lines),
        "arxiv_id": arxiv_id is not None and any(arxiv_id in line.text for line in lines),
        "abstract": True,
    }
    paper = ExtractedPaper(
        sha256=sha256,
        pages=pages,
        title=title_text or metadata.title,
        authors=authors,
        year=year,
        doi=doi,
        arxiv_id=arxiv_id,
        abstract=abstract,
        **publication.paper_fields(),
        method=ExtractionMethod.text,
    )
    return with_sources(paper, from_page, publication.sources or {})


def _is_cover_page(lines: list[TextLine]) -> bool:
    """A first page with hardly any running text: the abstract is on the next page."""
    return sum(1 for line in lines if is_prose(line.main_text)) < _COVER_PAGE_PROSE_LINES


def _fallback_year(
    arxiv_id: str | None, metadata: EmbeddedMetadata, first_page: pymupdf.Page
) -> int | None:
    if arxiv_id and (year := arxiv_year(arxiv_id)):
        return year
    if metadata.published_year or _is_scanned(first_page):
        return metadata.published_year  # a scan's creation date is the scanner's
    return metadata.creation_year


def _is_scanned(page: pymupdf.Page) -> bool:
    """A page that is one picture (a scan, perhaps with an OCR layer over it)."""
    area = page.rect.width * page.rect.height
    return (
        area > 0
        and bool(page.get_images())
        and any(
            (pymupdf.Rect(image["bbox"]) & page.rect).get_area() >= _SCAN_COVER * area
            for image in page.get_image_info()
        )
    )


def _from_metadata_only(metadata: EmbeddedMetadata, sha256: str, pages: int) -> ExtractedPaper:
    publication = find_publication([], 0.0, metadata, has_doi=metadata.doi is not None)
    paper = ExtractedPaper(
        sha256=sha256,
        pages=pages,
        title=metadata.title,
        authors=names_from_metadata(metadata.author),
        # A scan's creation date is the scanner's, not the paper's.
        year=metadata.published_year,
        doi=metadata.doi,
        arxiv_id=metadata.arxiv_id,
        **publication.paper_fields(),
        method=ExtractionMethod.text,
        warnings=[NO_TEXT_LAYER],
    )
    return with_sources(paper, {}, publication.sources or {})
