"""Catalogs for reference managers: BibTeX, CSL-JSON and RIS parse back whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rispy  # type: ignore[import-untyped]  # rispy ships no type information
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from catalogsvc.catalog.catalogs import CatalogFormat, is_partial
from catalogsvc.domain import JobPhase, JobStatus, Paper
from tests.catalog.sample_catalog import (
    SCRIPT_TITLE,
    make_paper,
    parse_bibtex,
    render_text,
)

# BibTeX


def test_bibtex_parses_back_to_one_entry_per_paper_with_unique_keys(
    papers: list[Paper],
) -> None:
    library = parse_bibtex(papers)

    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(papers)
    assert len(set(keys)) == len(keys)


def test_bibtex_keys_are_family_year_title_word_with_suffixes_for_collisions(
    papers: list[Paper],
) -> None:
    keys = [entry.key for entry in parse_bibtex(papers).entries]

    assert keys == [
        "vaswani2017attention",
        "muller2020braces",
        "lecun2015deepa",
        "lecun2015deepb",
        "vanderwaals1873script",
        "malloryndhyperlink",
        "anonnd",
        "schrodinger1926uber",
    ]


def test_bibtex_uses_article_for_a_journal_paper_and_misc_where_no_venue_is_known(
    papers: list[Paper],
) -> None:
    entries = {entry.key: entry for entry in parse_bibtex(papers).entries}

    attention = entries["vaswani2017attention"]
    assert attention.entry_type == "article"
    assert attention["journal"] == "Journal of Sequence Models"
    assert (attention["volume"], attention["number"], attention["pages"]) == (
        "30",
        "4",
        "5998--6008",
    )
    assert (attention["publisher"], attention["issn"]) == ("Curran Associates", "1049-5258")
    assert entries["muller2020braces"].entry_type == "misc", "a DOI alone names no journal"
    assert entries["schrodinger1926uber"].entry_type == "misc"


def test_bibtex_escapes_braces_and_latex_specials(papers: list[Paper]) -> None:
    entries = {entry.key: entry for entry in parse_bibtex(papers).entries}

    assert entries["muller2020braces"]["title"] == (
        r"Braces \textbraceleft{}unbalanced \& 100\% \$5 \#1 a\_b "
        r"\textasciitilde{}x\textasciicircum{}2 \textbackslash{}path"
    )
    assert entries["muller2020braces"]["doi"] == "10.1000/a_b(c)"


def test_bibtex_keeps_fields_and_unicode(papers: list[Paper]) -> None:
    entries = {entry.key: entry for entry in parse_bibtex(papers).entries}

    attention = entries["vaswani2017attention"]
    assert attention["title"] == "Attention Is All You Need"
    assert attention["year"] == "2017"
    assert attention["doi"] == "10.48550/arXiv.1706.03762"
    assert attention["eprint"] == "1706.03762"
    assert attention["abstract"] == "The dominant sequence transduction models."
    assert attention["keywords"] == "Computer Science"
    assert entries["schrodinger1926uber"]["title"] == "Über die Quantenmechanik — 量子"
    assert entries["anonnd"]["title"] == "scan\\_0042.pdf"
    assert "author" not in entries["anonnd"].fields_dict


def test_bibtex_writes_authors_family_first_with_particles(papers: list[Paper]) -> None:
    library = parse_string(
        render_text(CatalogFormat.bibtex, papers),
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )
    entries = {entry.key: entry for entry in library.entries}

    waals = entries["vanderwaals1873script"]["author"][0]
    assert (waals.first, waals.von, waals.last) == (["Ludwig"], ["van", "der"], ["Waals"])
    vaswani, shazeer = entries["vaswani2017attention"]["author"]
    assert (vaswani.first, vaswani.last) == (["Ashish"], ["Vaswani"])
    assert (shazeer.first, shazeer.last) == (["Noam"], ["Shazeer"])


def test_bibtex_keeps_and_inside_a_name_from_splitting_authors() -> None:
    paper = make_paper(1, title="Report", authors=["Research and Development Team", "Ada Lovelace"])

    library = parse_string(
        render_text(CatalogFormat.bibtex, [paper]),
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )

    team, lovelace = library.entries[0]["author"]
    assert (team.first, team.last) == (["{Research and Development}"], ["Team"])
    assert (lovelace.first, lovelace.last) == (["Ada"], ["Lovelace"])


# CSL-JSON


def test_csl_json_items_carry_required_fields(papers: list[Paper]) -> None:
    items = json.loads(render_text(CatalogFormat.csl_json, papers))

    assert len(items) == len(papers)
    assert all({"id", "type", "title"} <= item.keys() for item in items)
    assert len({item["id"] for item in items}) == len(items)
    attention = items[0]
    assert attention["type"] == "article-journal"
    assert attention["author"] == [
        {"family": "Vaswani", "given": "Ashish"},
        {"family": "Shazeer", "given": "Noam"},
    ]
    assert attention["issued"] == {"date-parts": [[2017]]}
    assert attention["DOI"] == "10.48550/arXiv.1706.03762"
    assert attention["note"] == "arXiv: 1706.03762"
    assert attention["abstract"] == "The dominant sequence transduction models."
    assert attention["keyword"] == "Computer Science"
    assert "categories" not in attention, "not a CSL variable"
    assert attention["container-title"] == "Journal of Sequence Models"
    assert (attention["volume"], attention["issue"], attention["page"]) == ("30", "4", "5998-6008")
    assert (attention["publisher"], attention["ISSN"]) == ("Curran Associates", "1049-5258")


def test_csl_json_ids_match_bibtex_keys(papers: list[Paper]) -> None:
    items = json.loads(render_text(CatalogFormat.csl_json, papers))

    assert [item["id"] for item in items] == [entry.key for entry in parse_bibtex(papers).entries]


def test_csl_json_keeps_particles_in_family_and_marks_preprints(papers: list[Paper]) -> None:
    items = {item["id"]: item for item in json.loads(render_text(CatalogFormat.csl_json, papers))}

    waals = items["vanderwaals1873script"]
    assert waals["type"] == "article"
    assert waals["author"] == [{"family": "van der Waals", "given": "Ludwig"}]
    assert waals["title"] == SCRIPT_TITLE
    assert "author" not in items["anonnd"]
    assert "issued" not in items["anonnd"]


# RIS


def read_ris(papers: list[Paper], *, partial: bool = False) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = rispy.loads(
        render_text(CatalogFormat.ris, papers, partial=partial)
    )
    return records


def test_ris_parses_back_to_one_record_per_paper(papers: list[Paper]) -> None:
    records = read_ris(papers, partial=True)

    assert len(records) == len(papers)
    types = {record["title"]: record["type_of_reference"] for record in records}
    assert types["Attention Is All You Need"] == "JOUR"
    assert types["scan_0042.pdf"] == "GEN"


def test_ris_records_carry_title_authors_year_doi_abstract_keywords(
    papers: list[Paper],
) -> None:
    attention = read_ris(papers)[0]

    assert attention["title"] == "Attention Is All You Need"
    assert attention["authors"] == ["Vaswani, Ashish", "Shazeer, Noam"]
    assert attention["year"] == "2017"
    assert attention["doi"] == "10.48550/arXiv.1706.03762"
    assert attention["abstract"] == "The dominant sequence transduction models."
    assert attention["keywords"] == ["Computer Science"]
    assert attention["urls"] == ["https://arxiv.org/abs/1706.03762"]


def test_ris_keeps_newlines_in_values_from_breaking_records(papers: list[Paper]) -> None:
    records = {record["title"]: record for record in read_ris(papers)}

    revisited = records['Deep learning, "revisited" again']
    assert revisited["abstract"] == 'Commas, "quotes" and newlines.'
    assert revisited["authors"] == ["LeCun, Yann", "Bengio, Yoshua"]
    assert records[SCRIPT_TITLE]["authors"] == ["van der Waals, Ludwig"]


@pytest.mark.parametrize(
    ("status", "phase", "files_done", "partial"),
    [
        (JobStatus.completed, JobPhase.done, 3, False),
        (JobStatus.cancelled, JobPhase.extracting, 2, True),
        (JobStatus.cancelled, JobPhase.classifying, 3, True),
        (JobStatus.cancelled, JobPhase.cataloging, 3, False),
        (JobStatus.failed, JobPhase.cataloging, 3, False),
    ],
)
def test_only_a_catalog_missing_files_or_categories_is_partial(
    status: JobStatus, phase: JobPhase, files_done: int, partial: bool
) -> None:
    """A job stopped while writing its catalog had read and classified all of its files."""
    assert is_partial(status, phase, files_done=files_done, files_total=3) is partial


def test_the_catalog_counts_in_words_that_agree() -> None:
    one = [make_paper(1, title="Alone", category="Physics")]
    two = [*one, make_paper(2, title="Other", category="Biology")]

    assert "1 paper in 1 category." in render_text(CatalogFormat.markdown, one)
    assert "2 papers in 2 categories." in render_text(CatalogFormat.html, two)


def test_a_category_ending_in_a_backslash_leaves_every_bibtex_block_whole() -> None:
    papers = [make_paper(1, title="Heat", category="Physics \\"), make_paper(2, title="Cold")]

    library = parse_bibtex(papers)  # asserts that no block failed to parse

    assert len(library.entries) == 2
