"""Real PDFs made with PyMuPDF for the tests: papers, broken files, slow files."""

# PyMuPDF 2 ships without type hints for Document, Rect and its encryption constants.
# mypy: disable-error-code="no-untyped-call,attr-defined"

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pymupdf


class Placed(NamedTuple):
    """One line of text at a baseline position on a generated page."""

    x: float
    y: float
    text: str
    size: float = 10.0
    bold: bool = False


def make_paper_pdf(
    path: Path,
    *,
    title: str,
    authors: list[str],
    abstract: str = "",
    year: int | None = None,
    doi: str | None = None,
    arxiv_id: str | None = None,
    pages: int = 1,
    metadata_title: str | None = None,
    running_head: Sequence[str] = (),
    running_foot: Sequence[str] = (),
) -> Path:
    """Write a born-digital one-column paper whose page 1 has a big title, authors and abstract,
    and any running head or foot lines (a journal's citation line) at the page's edges."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    y = 90.0
    for line in _wrap(title, 48):
        page.insert_text((72, y), line, fontsize=18, fontname="hebo")
        y += 24
    y += 8
    page.insert_text((72, y), ", ".join(authors), fontsize=11, fontname="helv")
    y += 30
    if abstract:
        page.insert_text((72, y), "Abstract", fontsize=11, fontname="hebo")
        y += 16
        for line in _wrap(abstract, 95):
            page.insert_text((72, y), line, fontsize=9.5, fontname="helv")
            y += 12
    y += 20
    footer = []
    if doi:
        footer.append(f"DOI: {doi}")
    if year:
        footer.append(f"Copyright (c) {year} The Authors.")
    for line in footer:
        page.insert_text((72, y), line, fontsize=8, fontname="helv")
        y += 11
    if arxiv_id:
        # The baseline sits well inside the page so the rotated glyphs are not cut off.
        page.insert_text(
            (44, 620), f"arXiv:{arxiv_id}v1 [cs.LG] 1 Jan {year or 2020}", fontsize=16, rotate=90
        )
    page.insert_text((72, 700), "1 Introduction", fontsize=11, fontname="hebo")
    for row, line in enumerate(running_head):
        page.insert_text((72, 30 + row * 10), line, fontsize=8, fontname="helv")
    for row, line in enumerate(running_foot):
        page.insert_text((72, 752 + row * 10), line, fontsize=8, fontname="helv")
    for number in range(2, pages + 1):
        doc.new_page(width=612, height=792).insert_text(
            (72, 90), f"Page {number} body text.", fontsize=10
        )
    if metadata_title is not None:
        doc.set_metadata({"title": metadata_title})
    doc.save(path)
    doc.close()
    return path


def make_two_column_header_pdf(
    path: Path, *, title: str, authors: list[tuple[str, str]], abstract: str
) -> Path:
    """Write a conference-style page: authors side by side, each over affiliation and email."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 90), title, fontsize=16, fontname="hebo")
    column_width = 468 / max(len(authors), 1)
    for index, (name, affiliation) in enumerate(authors):
        x = 72 + index * column_width
        page.insert_text((x, 130), name, fontsize=11, fontname="hebo")
        page.insert_text((x, 144), affiliation, fontsize=10, fontname="helv")
        email = name.split()[-1].lower() + "@example.org"
        page.insert_text((x, 158), email, fontsize=10, fontname="cour")
    page.insert_text((150, 200), "Abstract", fontsize=12, fontname="hebo")
    y = 220.0
    for line in _wrap(abstract, 45):
        page.insert_text((72, y), line, fontsize=10, fontname="helv")
        y += 12
    page.insert_text((72, y + 24), "1 Introduction", fontsize=12, fontname="hebo")
    for row, line in enumerate(_wrap("Body text of the right column. " * 12, 45)):
        page.insert_text((320, 220 + row * 12), line, fontsize=10, fontname="helv")
    doc.save(path)
    doc.close()
    return path


def make_superscript_authors_pdf(
    path: Path, *, title: str, authors: list[str], affiliations: list[str]
) -> Path:
    """Write a journal-style page whose author line carries raised affiliation numbers and a *."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 90), title, fontsize=18, fontname="hebo")
    x = 72.0
    for index, name in enumerate(authors):
        text = name if index == 0 else f", {name}"
        page.insert_text((x, 130), text, fontsize=11, fontname="helv")
        x += pymupdf.get_text_length(text, fontname="helv", fontsize=11)
        marker = f"{index % len(affiliations) + 1}" + ("*" if index == 0 else "")
        page.insert_text((x + 0.5, 125), marker, fontsize=7, fontname="helv")
        x += pymupdf.get_text_length(marker, fontname="helv", fontsize=7) + 1
    for number, affiliation in enumerate(affiliations, start=1):
        page.insert_text((72, 135 + 13 * number), f"{number}", fontsize=6, fontname="helv")
        page.insert_text((77, 140 + 13 * number), affiliation, fontsize=9, fontname="helv")
    page.insert_text((72, 260), "1 Introduction", fontsize=12, fontname="hebo")
    page.insert_text((72, 280), "Body text starts here and goes on.", fontsize=10)
    doc.save(path)
    doc.close()
    return path


def make_layout_pdf(
    path: Path, pages: list[list[Placed]], *, metadata_title: str | None = None
) -> Path:
    """Write pages whose lines sit exactly where given, in the given content-stream order."""
    doc = pymupdf.open()
    for placed in pages:
        page = doc.new_page(width=612, height=792)
        for x, y, text, size, bold in placed:
            page.insert_text((x, y), text, fontsize=size, fontname="hebo" if bold else "helv")
    if metadata_title is not None:
        doc.set_metadata({"title": metadata_title})
    doc.save(path)
    doc.close()
    return path


def paragraph(
    text: str, *, x: float, y: float, width: int = 90, size: float = 10.0
) -> list[Placed]:
    """The text wrapped at `width` characters into lines 1.2 font sizes apart, from baseline y."""
    return [Placed(x, y + i * size * 1.2, line, size) for i, line in enumerate(_wrap(text, width))]


def make_zero_page_pdf(path: Path) -> Path:
    """Write a syntactically valid PDF whose page tree is empty."""
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def make_image_only_pdf(path: Path, *, metadata_title: str | None = None) -> Path:
    """Write a PDF whose only page is a picture of text: no text layer."""
    source = pymupdf.open()
    page = source.new_page(width=612, height=792)
    page.insert_text((72, 90), "A Scanned Paper Title", fontsize=20)
    pixmap = page.get_pixmap(dpi=72)
    source.close()
    doc = pymupdf.open()
    doc.new_page(width=612, height=792).insert_image(pymupdf.Rect(0, 0, 612, 792), pixmap=pixmap)
    if metadata_title is not None:
        doc.set_metadata({"title": metadata_title})
    doc.save(path)
    doc.close()
    return path


def make_scanned_pdf(path: Path, *, title: str, dpi: int = 150, seed: int = 0) -> Path:
    """Write a scan of a paper's first page: a grainy `dpi` picture of its text, no text layer.
    The grain makes the page rendered as a PNG several MB, as real scans are."""
    source = pymupdf.open()
    page = source.new_page(width=612, height=792)
    page.insert_text((72, 90), title, fontsize=18, fontname="hebo")
    page.insert_text((72, 120), "Grace Hopper, Ada Lovelace", fontsize=11)
    for row, line in enumerate(_wrap("We read scanned pages with a vision model. " * 12, 95)):
        page.insert_text((72, 160 + row * 12), line, fontsize=9.5)
    clean = page.get_pixmap(dpi=dpi)
    source.close()
    samples = np.frombuffer(clean.samples, dtype=np.uint8)
    grain = np.random.default_rng(seed).integers(0, 40, size=samples.shape, dtype=np.uint8)
    grainy = np.clip(samples.astype(np.int16) - grain, 0, 255).astype(np.uint8)
    scan = pymupdf.Pixmap(pymupdf.csRGB, clean.width, clean.height, grainy.tobytes(), False)
    doc = pymupdf.open()
    doc.new_page(width=612, height=792).insert_image(pymupdf.Rect(0, 0, 612, 792), pixmap=scan)
    doc.save(path)
    doc.close()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    """Write a PDF that needs a password to open."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 90), "Secret", fontsize=12)
    doc.save(
        path,
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        owner_pw="owner",
        user_pw="user",
    )
    doc.close()
    return path


def make_corrupt_pdf(path: Path) -> Path:
    """Write a file that starts like a PDF and then is garbage."""
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    return path


def make_not_a_pdf(path: Path) -> Path:
    """Write a plain-text file with a .pdf name."""
    path.write_text("This is not a PDF at all.\n")
    return path


def make_empty_file(path: Path) -> Path:
    """Write a zero-byte file."""
    path.write_bytes(b"")
    return path


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines
