"""Corpus evaluation: scoring rules, the table, and the real corpus against the issue's targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogsvc.evaluation import EvalReport, evaluate_corpus, render_eval_table, soft
from tests.pdf_factory import make_not_a_pdf, make_paper_pdf

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "dev"
ABSTRACT = (
    "We measure how often printed metadata agrees with what publishers deposit, across twelve "
    "journals and four decades, and find that titles agree far more often than author lists."
)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    make_paper_pdf(
        tmp_path / "a.pdf",
        title="Printed Metadata Versus Deposited Metadata",
        authors=["Ada Lovelace", "Alan Turing"],
        abstract=ABSTRACT,
        year=2020,
        doi="10.1234/meta.2020.1",
    )
    make_paper_pdf(
        tmp_path / "b.pdf",
        title="A Second Paper on Things",
        authors=["Grace Hopper"],
        abstract="We revisit the 2019 survey of things.",
        year=2018,
    )
    make_not_a_pdf(tmp_path / "c.pdf")
    make_paper_pdf(tmp_path / "d.pdf", title="A Paper That Prints No Year", authors=["Ann Onym"])
    truths = [
        {
            "file": "a.pdf",
            "title": "Printed metadata versus deposited metadata.",
            "authors": ["Ada Lovelace", "Alan Turing"],
            "year": 2020,
            "doi": "10.1234/META.2020.1",
            "abstract": ABSTRACT,
        },
        {"file": "b.pdf", "title": "A Second Paper on Things", "authors": ["Grace Hopper"],
         "year": 2019, "doi": None},
        {"file": "c.pdf", "title": "Unreadable", "authors": None, "year": None},
        {"file": "d.pdf", "title": "A Paper That Prints No Year", "authors": None, "year": 1999},
    ]  # fmt: skip
    (tmp_path / "truth.jsonl").write_text("\n".join(json.dumps(t) for t in truths) + "\n")
    return tmp_path


def test_scores_count_only_fields_the_truth_states(small_corpus: Path) -> None:
    report = evaluate_corpus(small_corpus)

    assert report.files == 4
    assert report.score("title soft").score == pytest.approx(3 / 4)
    assert report.score("title soft").scored == 4
    assert report.score("authors").score == 1.0
    assert report.score("year").score == 0.5
    assert report.score("year").scored == 2, "d.pdf prints no year, so its year is not scored"
    assert report.score("DOI precision").score == 1.0
    assert report.score("DOI recall").score == 1.0
    assert report.score("abstract lev").scored == 1
    assert report.score("arXiv id recall").score is None


def test_failures_name_the_file_the_field_and_both_values(small_corpus: Path) -> None:
    report = evaluate_corpus(small_corpus)

    failed = {(f.file, f.field): (f.expected, f.got) for f in report.failures}
    assert failed[("b.pdf", "year")] == ("2019", "2018")
    assert failed[("c.pdf", "title soft")] == ("Unreadable", "unreadable")


def test_report_fails_when_any_measured_target_is_missed(small_corpus: Path) -> None:
    assert evaluate_corpus(small_corpus).passed is False


def test_table_lists_each_field_with_how_it_is_scored_and_the_verdict(small_corpus: Path) -> None:
    table = render_eval_table(evaluate_corpus(small_corpus))

    header = table.splitlines()[0].split()
    assert header[:3] == ["field", "how", "scored"]
    assert "title soft" in table
    assert "normalised Levenshtein ≥ 0.8" in table
    assert "FAIL" in table
    assert "PDFs/s" in table
    assert "some targets missed" in table


def test_author_lists_are_scored_on_family_names_in_order_as_grobid_does(tmp_path: Path) -> None:
    make_paper_pdf(
        tmp_path / "a.pdf", title="Printed Names Differ", authors=["Ed Chang", "A. Zakhor"]
    )
    make_paper_pdf(
        tmp_path / "b.pdf", title="Printed Order Differs", authors=["Ada Lovelace", "Alan Turing"]
    )
    truths = [
        {"file": "a.pdf", "title": "Printed Names Differ",
         "authors": ["Edward Y. Chang", "Avideh Zakhor"]},
        {"file": "b.pdf", "title": "Printed Order Differs",
         "authors": ["Alan Turing", "Ada Lovelace"]},
    ]  # fmt: skip
    (tmp_path / "truth.jsonl").write_text("\n".join(json.dumps(t) for t in truths) + "\n")

    report = evaluate_corpus(tmp_path)

    assert report.score("authors").score == 0.5
    assert [f.file for f in report.failures if f.field == "authors"] == ["b.pdf"]


def test_soft_ignores_case_punctuation_and_spaces() -> None:
    assert soft("Disk-Based  Storage, for Video.") == soft("disk based storage for video")


@pytest.fixture(scope="module")
def corpus_report() -> EvalReport:
    if not (CORPUS / "truth.jsonl").is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return evaluate_corpus(CORPUS)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("field", "floor"),
    [
        ("title soft", 0.95),
        ("title lev", 0.98),
        ("first author", 0.95),
        ("authors", 0.85),
        ("year", 0.95),
        ("year (all)", 0.9),
        ("venue", 0.85),
        ("DOI precision", 0.99),
        ("DOI recall", 0.97),
        ("arXiv id precision", 0.99),
        ("arXiv id recall", 0.97),
    ],
)
def test_corpus_meets_the_issue_targets_it_reaches(
    corpus_report: EvalReport, field: str, floor: float
) -> None:
    score = corpus_report.score(field).score
    assert score is not None and score >= floor, render_eval_table(corpus_report)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("field", "floor"),
    [
        ("abstract lev", 0.64),
        ("speed", 25.0),
    ],
)
def test_corpus_does_not_regress_below_measured_levels_on_missed_targets(
    corpus_report: EvalReport, field: str, floor: float
) -> None:
    """These miss the issue's targets (or, for speed, sit too near it to assert on a shared host);
    the floors guard what is reached today."""
    score = corpus_report.score(field).score
    assert score is not None and score >= floor, render_eval_table(corpus_report)
