"""extract_paper on PDFs made with PyMuPDF, on broken files, and on the shared real corpus."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogsvc.errors import InvalidPDF
from catalogsvc.extraction import extract as extract_module
from catalogsvc.extraction.extract import NO_TEXT_LAYER, extract_paper
from tests.pdf_factory import (
    Placed,
    make_corrupt_pdf,
    make_empty_file,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_layout_pdf,
    make_not_a_pdf,
    make_paper_pdf,
    make_superscript_authors_pdf,
    make_two_column_header_pdf,
    make_zero_page_pdf,
)

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev"
ABSTRACT = (
    "We study how sparse attention changes the cost of training large models and show that a "
    "simple schedule halves the compute needed while keeping accuracy on five benchmarks."
)


def test_single_column_paper_gives_every_field(tmp_path: Path) -> None:
    path = make_paper_pdf(
        tmp_path / "paper.pdf",
        title="Sparse Attention Schedules for Efficient Training of Large Language Models",
        authors=["Ada Lovelace", "Alan M. Turing", "Grace Hopper"],
        abstract=ABSTRACT,
        year=2021,
        doi="10.1234/example.2021.42",
        pages=3,
    )

    paper = extract_paper(str(path))

    assert paper.title == (
        "Sparse Attention Schedules for Efficient Training of Large Language Models"
    )
    assert paper.authors == ["Ada Lovelace", "Alan M. Turing", "Grace Hopper"]
    assert paper.year == 2021
    assert paper.doi == "10.1234/example.2021.42"
    assert paper.abstract == ABSTRACT
    assert paper.pages == 3
    assert len(paper.sha256) == 64
    assert paper.warnings == []


def test_two_column_header_splits_authors_per_column_without_affiliations(tmp_path: Path) -> None:
    path = make_two_column_header_pdf(
        tmp_path / "conference.pdf",
        title="Learning to Rank with Sparse Trees",
        authors=[
            ("Grace Hopper", "Yale University"),
            ("Edsger W. Dijkstra", "Eindhoven University"),
            ("Barbara Liskov", "MIT CSAIL"),
        ],
        abstract=ABSTRACT,
    )

    paper = extract_paper(str(path))

    assert paper.title == "Learning to Rank with Sparse Trees"
    assert paper.authors == ["Grace Hopper", "Edsger W. Dijkstra", "Barbara Liskov"]
    assert paper.abstract == ABSTRACT


def test_superscript_affiliation_markers_are_not_part_of_names(tmp_path: Path) -> None:
    path = make_superscript_authors_pdf(
        tmp_path / "journal.pdf",
        title="Proteins in Motion",
        authors=["Marie Curie", "Rosalind Franklin", "Dorothy Hodgkin"],
        affiliations=["Institut du Radium, Paris", "King's College London"],
    )

    paper = extract_paper(str(path))

    assert paper.authors == ["Marie Curie", "Rosalind Franklin", "Dorothy Hodgkin"]


def test_rotated_arxiv_margin_stamp_gives_the_id_without_version(tmp_path: Path) -> None:
    path = make_paper_pdf(
        tmp_path / "preprint.pdf",
        title="A Preprint About Margins",
        authors=["Emmy Noether"],
        arxiv_id="2101.01234",
        year=2021,
    )

    paper = extract_paper(str(path))

    assert paper.arxiv_id == "2101.01234"
    assert paper.year == 2021


def test_junk_metadata_title_does_not_replace_the_printed_title(tmp_path: Path) -> None:
    path = make_paper_pdf(
        tmp_path / "word.pdf",
        title="What the Page Says",
        authors=["Kurt Gödel"],
        metadata_title="Microsoft Word - draft3.doc",
    )

    assert extract_paper(str(path)).title == "What the Page Says"


def test_scanned_journal_page_gives_year_doi_and_the_author_after_a_lone_and(
    tmp_path: Path,
) -> None:
    page = [
        Placed(54, 60, "JOURNAL OF COMPUTATIONAL PHYSICS 63, 222-235 (1986)", 7.4),
        Placed(120, 110, "An Efficient Numerical Evaluation of the Green's Function", 13.1),
        Placed(200, 170, "KIRK E. JORDAN", 8.3),
        Placed(150, 190, "Exxon Research and Engineering Company, Annandale", 6.4),
        Placed(190, 225, "GERARD R. RICHTER", 8.3),
        Placed(150, 245, "Department of Computer Science, Rutgers University", 6.4),
        Placed(225, 280, "AND", 7.4),
        Placed(208, 304, "PING SHENG", 7.4),
        Placed(150, 326, "Corporate Research Science Laboratories, Exxon", 6.4),
        Placed(152, 352, "Received July 19, 1984; revised March 4, 1985", 8.3),
    ]
    path = make_layout_pdf(
        tmp_path / "scan.pdf", [page], metadata_title="PII: 0021-9991(86)90093-8"
    )

    paper = extract_paper(str(path))

    assert paper.authors == ["Kirk E. Jordan", "Gerard R. Richter", "Ping Sheng"]
    assert paper.year == 1986
    assert paper.doi == "10.1016/0021-9991(86)90093-8"


def test_image_only_page_warns_and_returns_what_metadata_gives(tmp_path: Path) -> None:
    path = make_image_only_pdf(tmp_path / "scan.pdf", metadata_title="A Scanned Paper Title")

    paper = extract_paper(str(path))

    assert paper.title == "A Scanned Paper Title"
    assert paper.authors == []
    assert paper.warnings == [NO_TEXT_LAYER]


def test_image_only_page_with_junk_metadata_has_no_title(tmp_path: Path) -> None:
    path = make_image_only_pdf(tmp_path / "scan.pdf", metadata_title="scan0001.pdf")

    assert extract_paper(str(path)).title is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (make_empty_file, "empty"),
        (make_not_a_pdf, "not a PDF"),
        (make_corrupt_pdf, "corrupt"),
        (make_encrypted_pdf, "password"),
        (make_zero_page_pdf, "no pages"),
    ],
)
def test_unreadable_files_raise_invalid_pdf_with_a_message(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path / "bad.pdf")

    with pytest.raises(InvalidPDF, match=message):
        extract_paper(str(path))


def test_missing_file_raises_invalid_pdf(tmp_path: Path) -> None:
    with pytest.raises(InvalidPDF, match="cannot be read"):
        extract_paper(str(tmp_path / "absent.pdf"))


def test_unexpected_error_on_a_readable_pdf_degrades_to_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("layout bug")

    monkeypatch.setattr(extract_module, "find_title", broken)
    path = make_paper_pdf(tmp_path / "paper.pdf", title="Fine Paper", authors=["Ada Lovelace"])

    paper = extract_paper(str(path))

    assert paper.title is None
    assert paper.pages == 1
    assert paper.warnings == ["could not read the header (ZeroDivisionError: layout bug)"]


@pytest.mark.corpus
def test_every_corpus_pdf_extracts_with_matching_hash_and_page_count() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    truths = [json.loads(line) for line in (CORPUS / "truth.jsonl").read_text().splitlines()]
    for truth in truths:
        paper = extract_paper(str(CORPUS / truth["file"]))
        assert paper.sha256 == truth["sha256"], truth["file"]
        assert paper.pages == truth["pages"], truth["file"]
        assert paper.title, truth["file"]
