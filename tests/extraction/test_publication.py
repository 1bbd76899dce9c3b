"""Venue, volume, issue, pages and type, read from what publishers print on real pages: the
citation line of a running foot or head, the PDF's metadata, a preprint server's stamp."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from catalogsvc.domain import FieldSource, PaperType
from catalogsvc.extraction.extract import extract_paper
from tests.pdf_factory import make_paper_pdf

ABSTRACT = "We study how catalogs of papers are built from what their first pages print. " * 3


def paper(tmp_path: Path, **fields: object) -> Path:
    return make_paper_pdf(
        tmp_path / "paper.pdf",
        title="Reading Venues From Running Heads",
        authors=["Ada Lovelace", "Alan Turing"],
        abstract=ABSTRACT,
        **fields,  # type: ignore[arg-type]
    )


def test_a_citation_foot_wrapped_over_two_lines_gives_venue_volume_issue_and_pages(
    tmp_path: Path,
) -> None:
    foot = [
        "Lovelace et al., (2019). Reading Venues From Running Heads. Journal of Open Source",
        "Education, 2(11), 32. https://doi.org/10.21105/jose.00032",
    ]
    read = extract_paper(str(paper(tmp_path, running_foot=foot)))

    assert (read.venue, read.volume, read.issue, read.page_range) == (
        "Journal of Open Source Education",
        "2",
        "11",
        "32",
    )
    assert read.type is PaperType.article
    assert read.sources["venue"] is FieldSource.pdf


def test_a_vancouver_foot_gives_the_journal_its_numbers_and_the_year(tmp_path: Path) -> None:
    foot = ["Postgrad Med J 2010;86:272e278. doi:10.1136/pgmj.2009.089987"]
    read = extract_paper(str(paper(tmp_path, running_foot=foot)))

    assert (read.venue, read.volume, read.page_range, read.year) == (
        "Postgrad Med J",
        "86",
        "272-278",
        2010,
    )


def test_a_masthead_broken_over_lines_is_joined_and_spelled_in_title_case(tmp_path: Path) -> None:
    head = ["JOURNAL", "OF COMPUTATIONAL", "PHYSICS", "63, 222-235 (1986)"]
    read = extract_paper(str(paper(tmp_path, running_head=head)))

    assert read.venue == "Journal of Computational Physics"
    assert (read.volume, read.page_range, read.year) == ("63", "222-235", 1986)


def test_a_reference_quoted_in_the_body_does_not_beat_the_running_foot(tmp_path: Path) -> None:
    quoted = "Shimer, R. (2000). Assortative matching and search. Econometrica, 68(2), 343-369."
    read = extract_paper(
        str(
            make_paper_pdf(
                tmp_path / "paper.pdf",
                title="Assortative Matching and Search, Replicated",
                authors=["Felix Geoffroy"],
                abstract=f"{ABSTRACT} {quoted}",
                running_foot=["ReScience C 7.1 (#2) - Geoffroy 2021"],
            )
        )
    )

    assert (read.venue, read.volume, read.issue, read.page_range) == ("ReScience C", "7", "1", "2")


def test_a_template_placeholder_is_no_venue_and_an_arxiv_stamp_makes_a_preprint(
    tmp_path: Path,
) -> None:
    head = ["Mon. Not. R. Astron. Soc. 000, 000-000 (0000)"]
    read = extract_paper(str(paper(tmp_path, running_head=head, arxiv_id="1511.01097", year=2015)))

    assert read.venue == "arXiv preprint"
    assert read.type is PaperType.preprint
    assert read.volume is None


def test_the_metadata_names_the_journal_when_the_page_does_not(tmp_path: Path) -> None:
    path = paper(tmp_path)
    with pymupdf.open(path) as doc:
        doc.set_metadata({"subject": "Nature, doi:10.1038/s41586-019-1666-5"})
        doc.saveIncr()
    read = extract_paper(str(path))

    assert read.venue == "Nature"
    assert read.sources["venue"] is FieldSource.metadata
    assert read.sources["title"] is FieldSource.pdf


def test_a_subject_listing_topics_is_not_taken_for_a_venue(tmp_path: Path) -> None:
    path = paper(tmp_path)
    with pymupdf.open(path) as doc:
        doc.set_metadata({"subject": "Reproduction, Chemical Physics"})
        doc.saveIncr()

    assert extract_paper(str(path)).venue is None


def test_a_scanned_page_takes_no_year_from_the_scanners_creation_date(tmp_path: Path) -> None:
    """A 1995 paper scanned in 2022: the creation date is the scanner's."""
    source = pymupdf.open()
    source.new_page(width=612, height=792).insert_text((72, 90), "A Scanned Workshop Paper")
    picture = source[0].get_pixmap(dpi=50).tobytes("png")
    scan = pymupdf.open()
    page = scan.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=picture)
    page.insert_text((72, 90), "A Scanned Workshop Paper", fontsize=18, render_mode=3)
    scan.set_metadata({"creationDate": "D:20220501212021+01'00'"})
    scan.save(tmp_path / "scan.pdf")

    assert extract_paper(str(tmp_path / "scan.pdf")).year is None
