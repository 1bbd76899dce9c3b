"""Catalog rendering: every format parses back, keeps order and treats paper text as data."""

from __future__ import annotations

import csv
import io
import json
import random
from html.parser import HTMLParser
from typing import Any

import pytest
import rispy  # type: ignore[import-untyped]  # rispy ships no type information
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from catalogsvc.catalog.catalogs import CatalogFormat, is_partial, render_catalog
from catalogsvc.catalog.contents import PARTIAL_NOTICE, group_by_category
from catalogsvc.catalog.names import PersonName, split_person_name
from catalogsvc.domain import JobPhase, JobStatus, Paper
from catalogsvc.taxonomies import NOT_CLASSIFIED, UNCATEGORIZED

JOB_ID = "job-42"
SCRIPT_TITLE = '<script>alert(1)</script> & "friends"'
LATEX_TITLE = r"Braces {unbalanced & 100% $5 #1 a_b ~x^2 \path"
CSV_TITLE = 'Deep learning, "revisited"\nagain'
FORMULA_TITLE = '=HYPERLINK("http://evil.example")'


def make_paper(paper_id: int, **fields: Any) -> Paper:
    defaults: dict[str, Any] = {
        "job_id": JOB_ID,
        "file_name": f"paper-{paper_id}.pdf",
        "sha256": f"{paper_id:064x}",
        "pages": 10,
    }
    return Paper(id=paper_id, **(defaults | fields))


@pytest.fixture
def papers() -> list[Paper]:
    return [
        make_paper(
            1,
            title="Attention Is All You Need",
            authors=["Ashish Vaswani", "Noam Shazeer"],
            year=2017,
            doi="10.48550/arXiv.1706.03762",
            arxiv_id="1706.03762",
            abstract="The dominant sequence\ntransduction models.",
            venue="Journal of Sequence Models",
            volume="30",
            issue="4",
            page_range="5998-6008",
            publisher="Curran Associates",
            issn="1049-5258",
            type="article",
            category="Computer Science",
            category_score=0.9,
        ),
        make_paper(
            2,
            title=SCRIPT_TITLE,
            authors=["Ludwig van der Waals"],
            year=1873,
            abstract="<img src=x onerror=alert(2)> matters",
            category="Physics",
        ),
        make_paper(
            3,
            title=LATEX_TITLE,
            authors=["Jürgen Müller"],
            year=2020,
            doi="10.1000/a_b(c)",
            category="Computer Science",
        ),
        make_paper(
            4,
            title="Über die Quantenmechanik — 量子",
            authors=["Erwin Schrödinger"],
            year=1926,
        ),
        make_paper(5, file_name="scan_0042.pdf"),
        make_paper(
            6,
            title="Deep Learning for Cats",
            authors=["Yann LeCun"],
            year=2015,
            category="Computer Science",
        ),
        make_paper(
            7,
            title=CSV_TITLE,
            authors=["Yann LeCun", "Yoshua Bengio"],
            year=2015,
            abstract='Commas, "quotes"\nand newlines.',
            category="Computer Science",
        ),
        make_paper(8, title=FORMULA_TITLE, authors=["@mallory"], category="Physics"),
    ]


def render_text(fmt: CatalogFormat, papers: list[Paper], *, partial: bool = False) -> str:
    rendered = render_catalog(fmt, papers, job_id=JOB_ID, title="Test <catalog>", partial=partial)
    return rendered.content.decode("utf-8")


def parse_bibtex(papers: list[Paper]) -> Library:
    library = parse_string(render_text(CatalogFormat.bibtex, papers))
    assert not library.failed_blocks
    return library


class HTMLStructure(HTMLParser):
    """Collects what the browser would build: elements, text and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.open_tags: list[str] = []
        self.details_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag not in ("meta", "br"):
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open_tags:
            del self.open_tags[len(self.open_tags) - 1 - self.open_tags[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "details" in self.open_tags:
            self.details_text.append(data)


def parse_html(papers: list[Paper], *, partial: bool = False) -> HTMLStructure:
    structure = HTMLStructure()
    structure.feed(render_text(CatalogFormat.html, papers, partial=partial))
    structure.close()
    return structure


# Grouping and names


def test_groups_are_sorted_by_name_with_papers_not_classified_yet_last(
    papers: list[Paper],
) -> None:
    groups = group_by_category(papers)

    assert [group.name for group in groups] == ["Computer Science", "Physics", NOT_CLASSIFIED]
    assert [paper.id for paper in groups[2].papers] == [5, 4]


def test_a_category_a_user_cleared_is_listed_as_uncategorized(papers: list[Paper]) -> None:
    cleared = papers[0].model_copy(update={"category": None, "sources": {"category": "user"}})

    assert [group.name for group in group_by_category([cleared])] == [UNCATEGORIZED]


def test_the_classifiers_uncategorized_is_a_group_apart_from_papers_not_classified(
    papers: list[Paper],
) -> None:
    """A job stopped before classifying leaves papers with no category: they are not the
    papers the classifier could not place."""
    placed = [
        papers[0].model_copy(update={"category": UNCATEGORIZED}),
        papers[1].model_copy(update={"category": "Zoology"}),
        papers[2].model_copy(update={"category": None}),
    ]

    groups = group_by_category(placed)

    assert [group.name for group in groups] == [UNCATEGORIZED, "Zoology", NOT_CLASSIFIED]


def test_papers_within_a_group_are_sorted_by_title(papers: list[Paper]) -> None:
    computer_science = group_by_category(papers)[0]

    assert [paper.title for paper in computer_science.papers] == [
        "Attention Is All You Need",
        LATEX_TITLE,
        "Deep Learning for Cats",
        CSV_TITLE,
    ]


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Ashish Vaswani", PersonName(given="Ashish", family="Vaswani")),
        ("Ludwig van der Waals", PersonName(given="Ludwig", family="van der Waals")),
        ("Guido Van Rossum", PersonName(given="Guido", family="Van Rossum")),
        ("Charles de Gaulle", PersonName(given="Charles", family="de Gaulle")),
        ("Maria José da Silva", PersonName(given="Maria José", family="da Silva")),
        ("Di Wu", PersonName(given="Di", family="Wu")),
        ("de Finetti", PersonName(given="", family="de Finetti")),
        ("Plato", PersonName(given="", family="Plato")),
        ("Martin Luther King Jr.", PersonName(given="Martin Luther", family="King", suffix="Jr.")),
        ("Vaswani, Ashish", PersonName(given="Ashish", family="Vaswani")),
        ("King, Jr., Martin", PersonName(given="Martin", family="King", suffix="Jr.")),
    ],
)
def test_split_person_name_takes_last_token_and_its_particles_as_family(
    full_name: str, expected: PersonName
) -> None:
    assert split_person_name(full_name) == expected


# Every format


@pytest.mark.parametrize(
    ("fmt", "filename", "media_type"),
    [
        (CatalogFormat.markdown, "catalog-job-42.md", "text/markdown; charset=utf-8"),
        (CatalogFormat.html, "catalog-job-42.html", "text/html; charset=utf-8"),
        (CatalogFormat.json, "catalog-job-42.json", "application/json"),
        (CatalogFormat.bibtex, "catalog-job-42.bib", "application/x-bibtex; charset=utf-8"),
        (CatalogFormat.csv, "catalog-job-42.csv", "text/csv; charset=utf-8"),
        (
            CatalogFormat.csl_json,
            "catalog-job-42.csl.json",
            "application/vnd.citationstyles.csl+json",
        ),
        (
            CatalogFormat.ris,
            "catalog-job-42.ris",
            "application/x-research-info-systems; charset=utf-8",
        ),
    ],
)
def test_rendered_catalog_is_named_after_job_and_format(
    papers: list[Paper], fmt: CatalogFormat, filename: str, media_type: str
) -> None:
    rendered = render_catalog(fmt, papers, job_id=JOB_ID, title="t", partial=False)

    assert (rendered.filename, rendered.media_type) == (filename, media_type)


def test_catalog_filename_keeps_only_safe_characters_of_the_job_id() -> None:
    rendered = render_catalog(CatalogFormat.csv, [], job_id='../x"\r\ny', title="t", partial=False)

    assert rendered.filename == "catalog-___x___y.csv"


HEADER_FORMATS = [
    CatalogFormat.markdown,
    CatalogFormat.html,
    CatalogFormat.bibtex,
    CatalogFormat.ris,
]


@pytest.mark.parametrize("fmt", HEADER_FORMATS)
def test_partial_catalog_says_so_in_its_header(papers: list[Paper], fmt: CatalogFormat) -> None:
    text = render_text(fmt, papers, partial=True)

    assert PARTIAL_NOTICE in text[: text.index("Attention")]


@pytest.mark.parametrize("fmt", HEADER_FORMATS)
def test_complete_catalog_has_no_partial_notice(papers: list[Paper], fmt: CatalogFormat) -> None:
    assert PARTIAL_NOTICE not in render_text(fmt, papers, partial=False)


@pytest.mark.parametrize("fmt", list(CatalogFormat))
def test_empty_catalog_renders_in_every_format(fmt: CatalogFormat) -> None:
    rendered = render_catalog(fmt, [], job_id=JOB_ID, title="Empty", partial=True)

    assert rendered.content.decode("utf-8")


@pytest.mark.parametrize("fmt", list(CatalogFormat))
def test_rendering_does_not_depend_on_input_order(papers: list[Paper], fmt: CatalogFormat) -> None:
    shuffled = papers[::-1]
    random.Random(7).shuffle(shuffled)

    assert render_text(fmt, shuffled) == render_text(fmt, papers)


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
