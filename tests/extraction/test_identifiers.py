"""DOI and arXiv id recognition and normalisation."""

from __future__ import annotations

import pytest

from catalogsvc.extraction.identifiers import (
    arxiv_year,
    doi_from_pii,
    find_arxiv_ids,
    find_dois,
    normalize_doi,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1038/s41586-019-1666-5.", "10.1038/s41586-019-1666-5"),
        ("https://doi.org/10.21105/jose.00070", "10.21105/jose.00070"),
        ("doi:10.1155/2010/157939;", "10.1155/2010/157939"),
        ("10.1016/0021-9991(86)90093-8", "10.1016/0021-9991(86)90093-8"),
        ("(10.1000/xyz123)", None),
        ("10.12/too-short-prefix", None),
        ("10.1063/1.2409490\x04", "10.1063/1.2409490"),
        ("10.1000/a\x00b", "10.1000/a"),
    ],
)
def test_normalize_doi_strips_prefixes_and_trailing_punctuation(
    raw: str, expected: str | None
) -> None:
    assert normalize_doi(raw) == expected


def test_find_dois_tells_labelled_from_unlabelled() -> None:
    text = "DOI: 10.5281/zenodo.4617894 see also 10.1000/other.1)."

    assert find_dois(text) == [("10.5281/zenodo.4617894", True), ("10.1000/other.1", False)]


def test_find_dois_stops_at_control_characters() -> None:
    text = "doi: 10.1063/1.2409490\x04\x05Journal of Applied Physics"

    assert find_dois(text) == [("10.1063/1.2409490", True)]


def test_find_arxiv_ids_drops_the_version_and_reads_old_style_ids() -> None:
    text = "arXiv:1511.01097v1 [astro-ph.GA] and arXiv:hep-th/9901001 and arxiv.org/abs/2101.00001"

    assert find_arxiv_ids(text) == ["1511.01097", "hep-th/9901001", "2101.00001"]


def test_unlabelled_numbers_are_not_arxiv_ids() -> None:
    assert find_arxiv_ids("Table 1511.01097 shows numbers") == []


@pytest.mark.parametrize(
    ("arxiv_id", "year"),
    [("1511.01097", 2015), ("0704.0001", 2007), ("hep-th/9901001", 1999), ("2113.00001", None)],
)
def test_arxiv_year_reads_the_yymm_part(arxiv_id: str, year: int | None) -> None:
    assert arxiv_year(arxiv_id) == year


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("PII: 0021-9991(86)90093-8", "10.1016/0021-9991(86)90093-8"),
        ("pii S0140-6736(03)12345-x", "10.1016/S0140-6736(03)12345-X"),
        ("0021-9991(86)90093-8 without its label", None),
        ("PII: S0021999105000123", None),
    ],
)
def test_doi_from_pii_reads_only_labelled_legacy_elsevier_item_ids(
    text: str, doi: str | None
) -> None:
    assert doi_from_pii(text) == doi
