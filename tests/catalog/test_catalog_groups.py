"""Catalog groups, names and what every format shares: order, partial notice, file names."""

from __future__ import annotations

import random

import pytest

from catalogsvc.catalog.catalogs import CatalogFormat, render_catalog
from catalogsvc.catalog.contents import PARTIAL_NOTICE, group_by_category
from catalogsvc.catalog.names import PersonName, split_person_name
from catalogsvc.domain import Paper
from catalogsvc.taxonomies import NOT_CLASSIFIED, UNCATEGORIZED
from tests.catalog.sample_catalog import (
    CSV_TITLE,
    JOB_ID,
    LATEX_TITLE,
    render_text,
)

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
