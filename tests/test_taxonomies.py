"""Built-in taxonomies and the validation of the taxonomy a job asks for."""

from __future__ import annotations

import json

import pytest

from catalogsvc.domain import Category
from catalogsvc.errors import InvalidTaxonomy
from catalogsvc.taxonomies import (
    BUILTIN_TAXONOMIES,
    DEFAULT_TAXONOMY_NAME,
    MAX_CATEGORIES,
    resolve_taxonomy,
)

ARXIV_ARCHIVES = {
    "cs", "math", "math-ph", "astro-ph", "cond-mat", "quant-ph", "physics", "gr-qc",
    "hep", "nucl", "nlin", "eess", "q-bio", "q-fin", "stat", "econ",
}  # fmt: skip


def test_no_taxonomy_means_the_research_fields_default() -> None:
    assert DEFAULT_TAXONOMY_NAME == "research-fields"
    assert resolve_taxonomy(None).name == "research-fields"
    assert resolve_taxonomy("  ").name == "research-fields"


def test_a_builtin_name_resolves_to_that_taxonomy() -> None:
    assert resolve_taxonomy("arxiv") is BUILTIN_TAXONOMIES["arxiv"]
    assert resolve_taxonomy(" research-fields ") is BUILTIN_TAXONOMIES["research-fields"]


def test_arxiv_lists_every_archive_with_a_description() -> None:
    categories = BUILTIN_TAXONOMIES["arxiv"].categories
    assert {category.name for category in categories} == ARXIV_ARCHIVES
    assert all(category.description for category in categories)


def test_research_fields_are_a_broad_described_list() -> None:
    categories = BUILTIN_TAXONOMIES["research-fields"].categories
    names = {category.name for category in categories}
    assert 15 <= len(categories) <= 25
    assert {"Computer Science", "Mathematics", "Physics", "Biology", "Medicine"} <= names
    assert all(category.description for category in categories)


def test_an_unknown_name_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(InvalidTaxonomy) as raised:
        resolve_taxonomy("astrology")
    assert "'astrology'" in raised.value.detail
    assert "arxiv" in raised.value.detail and "research-fields" in raised.value.detail
    assert raised.value.field == "taxonomy"


def test_a_json_list_becomes_a_custom_taxonomy_descriptions_optional() -> None:
    taxonomy = resolve_taxonomy(
        json.dumps([{"name": " Optics ", "description": "lasers, light"}, {"name": "Topology"}])
    )
    assert taxonomy.name == "custom"
    assert taxonomy.categories == [
        Category(name="Optics", description="lasers, light"),
        Category(name="Topology", description=""),
    ]


def test_lists_of_categories_or_dicts_are_accepted_as_they_are() -> None:
    from_models = resolve_taxonomy([Category(name="A"), Category(name="B", description="b")])
    from_dicts = resolve_taxonomy([{"name": "A"}, {"name": "B", "description": "b"}])
    assert from_models == from_dicts
    assert [category.name for category in from_dicts.categories] == ["A", "B"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[]", "no categories"),
        ([], "no categories"),
        ('[{"name": "Physics"}, {"name": "physics"}]', "more than once"),
        ('[{"name": "Physics"}, {"name": "  "}]', "Category 2 has a blank name"),
        ('[{"description": "no name"}]', "Category 1 has a blank name"),
        ('[{"name": "Physics"', "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"name": "Physics"}', "must be a JSON list"),
        ("[1, 2]", "Category 1 must be an object"),
        ('[{"name": "' + "x" * 201 + '"}]', "Category 1"),
    ],
)
def test_invalid_custom_taxonomies_are_refused_with_a_clear_message(
    value: str | list[Category], message: str
) -> None:
    with pytest.raises(InvalidTaxonomy) as raised:
        resolve_taxonomy(value)
    assert message in raised.value.detail


def test_more_than_the_allowed_number_of_categories_is_refused() -> None:
    too_many = [{"name": f"Field {number}"} for number in range(MAX_CATEGORIES + 1)]
    with pytest.raises(InvalidTaxonomy, match="more than the 200 allowed"):
        resolve_taxonomy(json.dumps(too_many))
    assert len(resolve_taxonomy(too_many[:MAX_CATEGORIES]).categories) == MAX_CATEGORIES
