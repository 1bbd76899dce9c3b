"""Catalogs for people: Markdown, HTML, JSON and CSV parse back and treat paper text as data."""

from __future__ import annotations

import csv
import io
import json

from catalogsvc.catalog.catalogs import CatalogFormat
from catalogsvc.catalog.contents import PARTIAL_NOTICE
from catalogsvc.domain import Paper
from catalogsvc.taxonomies import NOT_CLASSIFIED
from tests.catalog.sample_catalog import (
    CSV_TITLE,
    FORMULA_TITLE,
    JOB_ID,
    SCRIPT_TITLE,
    make_paper,
    parse_html,
    render_text,
)

# Markdown


def test_markdown_lists_categories_as_sections_in_order(papers: list[Paper]) -> None:
    sections = [
        line
        for line in render_text(CatalogFormat.markdown, papers).splitlines()
        if line.startswith("## ")
    ]

    assert sections == ["## Computer Science (4)", "## Physics (2)", "## Not classified yet (2)"]


def test_markdown_escapes_markup_in_titles_and_abstracts(papers: list[Paper]) -> None:
    text = render_text(CatalogFormat.markdown, papers)

    assert '### \\<script\\>alert\\(1\\)\\</script\\> \\& "friends"' in text
    assert "> \\<img src=x onerror=alert\\(2\\)\\> matters" in text
    assert "<script>" not in text


def test_markdown_escapes_line_start_markers() -> None:
    paper = make_paper(1, title="- not a list", abstract="1. not a list either")

    text = render_text(CatalogFormat.markdown, [paper])

    assert "### \\- not a list" in text
    assert "> 1\\. not a list either" in text


def test_markdown_links_doi_and_arxiv(papers: list[Paper]) -> None:
    text = render_text(CatalogFormat.markdown, papers)

    assert "(https://doi.org/10.48550/arXiv.1706.03762)" in text
    assert "(https://arxiv.org/abs/1706.03762)" in text
    assert "(https://doi.org/10.1000/a_b%28c%29)" in text


# HTML


def test_html_is_a_standalone_utf8_document(papers: list[Paper]) -> None:
    text = render_text(CatalogFormat.html, papers)
    structure = parse_html(papers)

    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert {"html", "head", "style", "title", "body"} <= set(structure.tags)
    assert "link" not in structure.tags


def test_html_shows_untrusted_text_as_text_without_injected_elements(
    papers: list[Paper],
) -> None:
    structure = parse_html(papers)

    assert "script" not in structure.tags
    assert "img" not in structure.tags
    assert SCRIPT_TITLE in structure.text
    assert "Test <catalog>" in structure.text
    assert "Über die Quantenmechanik — 量子" in structure.text


def test_html_table_of_contents_links_each_category_section(papers: list[Paper]) -> None:
    structure = parse_html(papers)

    section_links = [href for href in structure.hrefs if href.startswith("#")]
    assert section_links == ["#category-1", "#category-2", "#category-3"]
    assert structure.ids == ["category-1", "category-2", "category-3"]


def test_html_links_doi_and_arxiv_and_folds_abstracts(papers: list[Paper]) -> None:
    structure = parse_html(papers)

    assert "https://doi.org/10.48550/arXiv.1706.03762" in structure.hrefs
    assert "https://arxiv.org/abs/1706.03762" in structure.hrefs
    assert "The dominant sequence\ntransduction models." in structure.details_text
    assert "<img src=x onerror=alert(2)> matters" in structure.details_text


def test_html_shows_file_name_for_paper_without_title(papers: list[Paper]) -> None:
    assert "scan_0042.pdf" in parse_html(papers).text


def test_html_marks_partial_catalog(papers: list[Paper]) -> None:
    assert PARTIAL_NOTICE in parse_html(papers, partial=True).text


# JSON


def test_json_groups_papers_under_job_header(papers: list[Paper]) -> None:
    document = json.loads(render_text(CatalogFormat.json, papers, partial=True))

    assert document["job_id"] == JOB_ID
    assert document["partial"] is True
    assert [category["name"] for category in document["categories"]] == [
        "Computer Science",
        "Physics",
        NOT_CLASSIFIED,
    ]
    physics = document["categories"][1]["papers"]
    assert [Paper.model_validate(paper) for paper in physics] == [papers[1], papers[7]]


# CSV


def read_csv_rows(papers: list[Paper], *, partial: bool = False) -> list[dict[str, str]]:
    text = render_text(CatalogFormat.csv, papers, partial=partial)
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_one_row_per_paper_in_catalog_order(papers: list[Paper]) -> None:
    rows = read_csv_rows(papers)

    assert [row["file_name"] for row in rows] == [
        "paper-1.pdf",
        "paper-3.pdf",
        "paper-6.pdf",
        "paper-7.pdf",
        "paper-2.pdf",
        "paper-8.pdf",
        "scan_0042.pdf",
        "paper-4.pdf",
    ]
    assert rows[-1]["category"] == NOT_CLASSIFIED


def test_csv_round_trips_commas_quotes_newlines_and_unicode(papers: list[Paper]) -> None:
    rows = {row["file_name"]: row for row in read_csv_rows(papers)}

    assert rows["paper-7.pdf"]["title"] == CSV_TITLE
    assert rows["paper-7.pdf"]["abstract"] == 'Commas, "quotes"\nand newlines.'
    assert rows["paper-7.pdf"]["authors"] == "Yann LeCun; Yoshua Bengio"
    assert rows["paper-4.pdf"]["title"] == "Über die Quantenmechanik — 量子"
    assert rows["scan_0042.pdf"]["title"] == ""
    assert rows["scan_0042.pdf"]["year"] == ""


def test_csv_keeps_spreadsheets_from_running_cells_as_formulas(papers: list[Paper]) -> None:
    rows = {row["file_name"]: row for row in read_csv_rows(papers)}

    assert rows["paper-8.pdf"]["title"] == "'" + FORMULA_TITLE
    assert rows["paper-8.pdf"]["authors"] == "'@mallory"


def test_csv_marks_every_row_of_a_partial_catalog(papers: list[Paper]) -> None:
    assert {row["catalog_partial"] for row in read_csv_rows(papers, partial=True)} == {"true"}
    assert {row["catalog_partial"] for row in read_csv_rows(papers)} == {"false"}
