"""Enrichment from Crossref and OpenAlex through the production code path (the same httpx
client, retries, cache and merge rules) against local servers that speak their APIs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalogsvc.domain import ExtractedPaper, FieldSource, PaperType
from catalogsvc.enrichment.enricher import Enricher, apply_record
from catalogsvc.enrichment.http_client import registry_client
from catalogsvc.enrichment.records import RegistryRecord
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.parts import build_enricher
from catalogsvc.settings import Settings
from catalogsvc.store.repository import Store
from tests.fake_registries import (
    FakeRegistries,
    crossref_work,
    openalex_work,
    serve_fake_registries,
)
from tests.pdf_factory import make_paper_pdf

DOI = "10.1016/0021-9991(86)90093-8"
TITLE = "An Efficient Numerical Evaluation of the Green's Function for Periodic Structures"


@pytest.fixture
async def registries() -> AsyncIterator[FakeRegistries]:
    async with serve_fake_registries(crossref_works=[crossref_work(DOI, TITLE, "Jordan")]) as fake:
        yield fake


@pytest.fixture
async def http_client() -> AsyncIterator[httpx.AsyncClient]:
    client = await asyncio.to_thread(registry_client, 2.0, "librarian@example.org")
    yield client
    await client.aclose()


def enricher_for(
    fake: FakeRegistries, store: Store, client: httpx.AsyncClient, **settings: Any
) -> Enricher:
    chosen = Settings(
        enrich=settings.pop("enrich", ["crossref"]),
        crossref_url=fake.crossref_url,
        openalex_url=fake.openalex_url,
        enrich_max_retries=2,
        contact_email="librarian@example.org",
        _env_file=None,
        **settings,
    )
    return build_enricher(chosen, store, client)


async def read_pdf(tmp_path: Path, **fields: Any) -> ExtractedPaper:
    """A real PDF written and read as the worker pool would, off the event loop."""
    defaults: dict[str, Any] = {"title": TITLE, "authors": ["Kirk E. Jordan"]}

    def write_and_read() -> ExtractedPaper:
        path = make_paper_pdf(tmp_path / "paper.pdf", **(defaults | fields))
        return extract_paper(str(path))

    return await asyncio.to_thread(write_and_read)


async def test_a_doi_lookup_fills_the_publication_fields_from_crossref(
    registries: FakeRegistries, store: Store, http_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    paper = await read_pdf(tmp_path, doi=DOI, year=1990)

    enriched = await enricher_for(registries, store, http_client).enrich(paper)

    assert (enriched.venue, enriched.volume, enriched.issue, enriched.page_range) == (
        "Journal of Computational Physics",
        "63",
        "1",
        "222-235",
    )
    assert (enriched.publisher, enriched.issn, enriched.type) == (
        "Elsevier BV",
        "0021-9991",
        PaperType.article,
    )
    assert enriched.year == 1986, "the publisher's year beats the page's"
    assert enriched.abstract == "We evaluate Green's functions fast.", "JATS stripped"
    assert {enriched.sources[f] for f in ("venue", "year", "abstract")} == {FieldSource.crossref}
    assert enriched.title == paper.title and enriched.sources["title"] is FieldSource.pdf
    assert "mailto=librarian%40example.org" in registries.requests[0][1]


async def test_a_title_lookup_takes_the_same_work_and_its_doi(
    registries: FakeRegistries, store: Store, http_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    paper = await read_pdf(tmp_path)
    assert paper.doi is None

    enriched = await enricher_for(registries, store, http_client).enrich(paper)

    assert enriched.doi == DOI and enriched.sources["doi"] is FieldSource.crossref
    assert enriched.venue == "Journal of Computational Physics"


async def test_a_near_miss_title_is_rejected(
    registries: FakeRegistries, store: Store, http_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    near = TITLE.replace("Periodic", "Aperiodic")
    paper = await read_pdf(tmp_path, title=near)

    enriched = await enricher_for(registries, store, http_client).enrich(paper)

    assert registries.requests, "the registry was asked"
    assert enriched.doi is None and enriched.venue is None
    assert enriched == paper


async def test_a_429_is_retried_after_the_time_retry_after_asks(
    registries: FakeRegistries, store: Store, http_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    registries.throttle, registries.retry_after = 1, "1"
    paper = await read_pdf(tmp_path, doi=DOI)

    enriched = await enricher_for(registries, store, http_client).enrich(paper)

    assert enriched.venue == "Journal of Computational Physics"
    (first, _), (second, _) = registries.requests
    assert second - first >= 0.95


async def test_a_registry_that_hangs_leaves_the_pdfs_values_with_a_warning(
    registries: FakeRegistries, store: Store, tmp_path: Path
) -> None:
    registries.hang = True
    client = await asyncio.to_thread(registry_client, 0.3, None)
    paper = await read_pdf(tmp_path, doi=DOI, year=1990)
    try:
        enriched = await enricher_for(registries, store, client).enrich(paper)
    finally:
        await client.aclose()

    assert (enriched.year, enriched.venue) == (1990, paper.venue)
    assert any("crossref could not be asked" in w for w in enriched.warnings), enriched.warnings
    await asyncio.wait_for(registries.hung_up_event.wait(), 5)


async def test_answers_are_kept_per_doi_across_jobs(
    registries: FakeRegistries, store: Store, http_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    paper = await read_pdf(tmp_path, doi=DOI)

    first = await enricher_for(registries, store, http_client).enrich(paper)
    second = await enricher_for(registries, store, http_client).enrich(paper)

    assert first == second and first.venue == "Journal of Computational Physics"
    assert len(registries.requests) == 1


async def test_openalex_by_doi_after_a_crossref_that_does_not_know_the_work(
    store: Store, http_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    doi = "10.1103/PhysRevLett.116.061102"
    title = "Observation of Gravitational Waves from a Binary Black Hole Merger"
    works = [openalex_work(doi, title, "B. P. Abbott")]
    paper = await read_pdf(tmp_path, title=title, authors=["B. P. Abbott"], doi=doi, abstract="")
    async with serve_fake_registries(openalex_works=works) as fake:
        both = enricher_for(fake, store, http_client, enrich=["crossref", "openalex"])
        enriched = await both.enrich(paper)

    assert (enriched.venue, enriched.volume, enriched.page_range) == (
        "Physical Review Letters",
        "116",
        "061102",
    )
    assert enriched.abstract == "We observed gravitational waves."
    assert enriched.sources["venue"] is FieldSource.openalex
    asked = ["crossref" if "/crossref/" in url else "openalex" for _, url in fake.requests]
    assert asked == ["crossref", "openalex"]


def test_a_registry_never_replaces_a_users_correction() -> None:
    paper = ExtractedPaper(
        sha256="0" * 64,
        pages=1,
        venue="As the user wrote it",
        year=2001,
        sources={"venue": FieldSource.user, "year": FieldSource.pdf},
    )
    record = RegistryRecord(source=FieldSource.crossref, venue="Registry's", year=2002)

    applied = apply_record(paper, record)

    assert (applied.venue, applied.year) == ("As the user wrote it", 2002)
    assert applied.sources == {"venue": FieldSource.user, "year": FieldSource.crossref}


async def test_done_in_a_job_the_catalog_carries_the_registrys_venue_and_a_cancel_abandons_requests(
    client_factory: Any, registries: FakeRegistries, papers_dir: Path
) -> None:
    await asyncio.to_thread(
        make_paper_pdf, papers_dir / "jordan.pdf", title=TITLE, authors=["Kirk E. Jordan"], doi=DOI
    )
    client = await client_factory(enrich=["crossref"], crossref_url=registries.crossref_url)
    job = await client.folder_job(papers_dir)
    finished = await client.wait_until_finished(job["id"])
    bibtex = await client.http.get(f"/api/jobs/{job['id']}/catalog", params={"format": "bibtex"})

    assert finished["status"] == "completed"
    assert "journal = {Journal of Computational Physics}" in bibtex.text

    registries.hang = True
    second_dir = papers_dir / "second"
    await asyncio.to_thread(second_dir.mkdir)
    await asyncio.to_thread(
        make_paper_pdf,
        second_dir / "other.pdf",
        title=TITLE,
        authors=["K. Jordan"],
        doi="10.5555/2",
    )
    second = await client.folder_job(second_dir)
    await asyncio.wait_for(registries.wait_for_requests(2), 10)
    started = time.monotonic()
    cancelled = await client.http.post(f"/api/jobs/{second['id']}/cancel")
    await asyncio.wait_for(registries.hung_up_event.wait(), 5)

    assert cancelled.json()["status"] == "cancelled"
    assert time.monotonic() - started < 5
    assert (await client.job(second["id"]))["progress"]["papers"] == 0


def test_a_registrys_implausible_values_are_dropped_before_they_are_stored() -> None:
    record = RegistryRecord(
        source=FieldSource.crossref,
        venue="Jour\x00nal of\x1b Tests",
        year=99999,
        volume="9" * 5000,
        issn="garbage issn",
        publisher="P\x00ub",
    )

    applied = apply_record(ExtractedPaper(sha256="0" * 64, pages=1), record)

    assert (applied.venue, applied.publisher) == ("Jour nal of Tests", "P ub")
    assert (applied.year, applied.volume, applied.issn) == (None, None, None)
