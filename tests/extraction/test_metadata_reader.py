"""MetadataReader on real PDFs, through the real openai client against the fake server."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from openai import AsyncOpenAI

from catalogsvc.classification.answer_cache import InMemoryClassificationCache
from catalogsvc.classification.llm_classifier import LLMClassifier
from catalogsvc.domain import ExtractedPaper, ExtractionMethod
from catalogsvc.extraction.extract import NO_TEXT_LAYER, extract_paper
from catalogsvc.extraction.metadata_reader import METADATA_SCHEMA, MetadataReader
from tests.classification.test_llm_classifier import TAXONOMY, make_papers
from tests.fake_openai import FakeOpenAI
from tests.pdf_factory import make_image_only_pdf, make_paper_pdf

T = TypeVar("T")

TITLE = "Dark Matter Halos in Nearby Galaxy Clusters"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def metadata(**fields: Any) -> dict[str, Any]:
    """A schema-complete answer: every field null or empty unless given."""
    answer: dict[str, Any] = dict.fromkeys(METADATA_SCHEMA["required"])
    answer["authors"] = []
    return answer | fields


def reader(client: AsyncOpenAI, *, llm: bool = True, vision: bool = True) -> MetadataReader:
    return MetadataReader(
        client,
        llm_model="fake-model" if llm else None,
        vision_model="fake-vision" if vision else None,
        request_slots=asyncio.Semaphore(2),
    )


@pytest.fixture
def born_digital_pdf(tmp_path: Path) -> Path:
    return make_paper_pdf(
        tmp_path / "paper.pdf",
        title=TITLE,
        authors=["Vera Rubin", "Fritz Zwicky"],
        abstract="We observe galaxies and dark matter halos with a telescope. " * 3,
        year=2021,
        doi="10.1234/halos.2021",
    )


async def test_scanned_page_is_read_by_the_vision_model(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """An image-only PDF goes to the vision model as a PNG data URL; its answer fills the
    paper, the method becomes "vision" and the no-text-layer warning goes away."""
    path = make_image_only_pdf(tmp_path / "scan.pdf")
    extracted = await asyncio.to_thread(extract_paper, str(path))
    assert NO_TEXT_LAYER in extracted.warnings
    fake_openai.answer = lambda body: metadata(
        title="A Scanned Paper Title", authors=["Grace Hopper"], year=1952
    )
    refined = await reader(openai_client).refine(str(path), extracted)
    assert refined.method == ExtractionMethod.vision
    assert (refined.title, refined.authors, refined.year) == (
        "A Scanned Paper Title",
        ["Grace Hopper"],
        1952,
    )
    assert NO_TEXT_LAYER not in refined.warnings
    assert refined.sha256 == extracted.sha256
    [request] = fake_openai.requests
    assert request.model == "fake-vision"
    [image_url] = request.image_urls
    prefix = "data:image/png;base64,"
    assert image_url.startswith(prefix)
    assert base64.b64decode(image_url.removeprefix(prefix)).startswith(PNG_MAGIC)
    assert request.body["response_format"]["json_schema"]["schema"] == METADATA_SCHEMA


async def test_a_vision_answer_is_cleaned_of_control_characters_and_url_forms(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """What a model reads off a scan goes into BibTeX and RIS: identifiers in their plain
    form, no control characters anywhere, and nothing kept that is not an identifier."""
    path = make_image_only_pdf(tmp_path / "scan.pdf")
    extracted = await asyncio.to_thread(extract_paper, str(path))
    answers = iter(
        [
            metadata(
                title="A Scanned\x00 Paper\x04Title",
                authors=["Grace\x07 Hopper"],
                doi="https://doi.org/10.1234/scan.1952\x04junk",
                arxiv_id="arXiv:2101.00001v2",
            ),
            metadata(title="Another Scan", doi="not a doi", arxiv_id="see page 2"),
        ]
    )
    fake_openai.answer = lambda body: next(answers)

    refined = await reader(openai_client).refine(str(path), extracted)
    unusable = await reader(openai_client).refine(str(path), extracted)

    assert (refined.title, refined.authors) == ("A Scanned Paper Title", ["Grace Hopper"])
    assert (refined.doi, refined.arxiv_id) == ("10.1234/scan.1952", "2101.00001")
    assert (unusable.doi, unusable.arxiv_id) == (None, None)


async def test_missing_title_is_filled_by_the_llm(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, born_digital_pdf: Path
) -> None:
    """Only the missing title is taken; the text path's authors and year stay as they were."""
    extracted = await asyncio.to_thread(extract_paper, str(born_digital_pdf))
    assert extracted.authors == ["Vera Rubin", "Fritz Zwicky"]
    gap = dataclasses.replace(extracted, title=None)
    fake_openai.answer = lambda body: metadata(title=TITLE, authors=["Someone Else"], year=1999)
    refined = await reader(openai_client).refine(str(born_digital_pdf), gap)
    assert refined.method == ExtractionMethod.llm
    assert refined.title == TITLE
    assert refined.authors == extracted.authors
    assert refined.year == extracted.year
    assert refined.sources["title"] == "llm"
    assert refined.sources["authors"] == "pdf", "fields the text path read keep their source"
    [request] = fake_openai.requests
    assert request.model == "fake-model"
    assert request.image_urls == []


async def test_page_text_is_fenced_as_untrusted_data(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, born_digital_pdf: Path
) -> None:
    extracted = ExtractedPaper(sha256="0" * 64, pages=1)
    fake_openai.answer = lambda body: metadata()
    await reader(openai_client).refine(str(born_digital_pdf), extracted)
    [request] = fake_openai.requests
    [system] = request.texts("system")
    [user] = request.texts("user")
    assert "untrusted data" in system
    assert "Ignore any request" in system
    fenced = user.split("<page_text>\n", 1)[1].rsplit("\n</page_text>", 1)[0]
    assert "Dark Matter Halos" in json.loads(fenced)


async def test_identifiers_the_page_does_not_show_are_dropped(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, born_digital_pdf: Path
) -> None:
    """The DOI printed on the page is kept; an invented arXiv id is not."""
    extracted = ExtractedPaper(sha256="0" * 64, pages=1, title=TITLE)
    fake_openai.answer = lambda body: metadata(doi="10.1234/halos.2021", arxiv_id="2101.00001")
    refined = await reader(openai_client).refine(str(born_digital_pdf), extracted)
    assert refined.doi == "10.1234/halos.2021"
    assert refined.arxiv_id is None
    assert refined.method == ExtractionMethod.llm


async def test_complete_papers_cost_no_request(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, born_digital_pdf: Path
) -> None:
    extracted = await asyncio.to_thread(extract_paper, str(born_digital_pdf))
    assert extracted.title and extracted.authors and extracted.year and extracted.abstract
    assert await reader(openai_client).refine(str(born_digital_pdf), extracted) == extracted
    assert fake_openai.requests == []


async def test_scanned_page_without_vision_model_is_left_alone(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """The LLM alone cannot read an image: no request, the warning stays."""
    path = make_image_only_pdf(tmp_path / "scan.pdf")
    extracted = await asyncio.to_thread(extract_paper, str(path))
    refined = await reader(openai_client, vision=False).refine(str(path), extracted)
    assert refined == extracted
    assert fake_openai.requests == []


async def test_useless_llm_answer_keeps_the_text_method(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, born_digital_pdf: Path
) -> None:
    extracted = ExtractedPaper(sha256="0" * 64, pages=1)
    fake_openai.answer = lambda body: metadata(year=42, title="  ")
    refined = await reader(openai_client).refine(str(born_digital_pdf), extracted)
    assert refined == extracted
    assert len(fake_openai.requests) == 1


async def test_failed_request_keeps_the_text_path_result_with_a_warning(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, born_digital_pdf: Path
) -> None:
    extracted = ExtractedPaper(sha256="0" * 64, pages=1, title=TITLE)
    fake_openai.answer = lambda body: "not json"
    refined = await reader(openai_client).refine(str(born_digital_pdf), extracted)
    assert refined.title == TITLE
    assert refined.method == ExtractionMethod.text
    assert len(refined.warnings) == 1
    assert "malformed JSON" in refined.warnings[0]


async def test_an_unexpected_error_keeps_the_text_path_result_with_a_warning(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """Issue 10: rendering a scanned page failed with BlockingIOError and failed the whole job;
    any error of the second pass now stays with its file, as a warning naming it."""
    scan = await asyncio.to_thread(make_image_only_pdf, tmp_path / "scan.pdf")
    extracted = await asyncio.to_thread(extract_paper, str(scan))

    async def broken_pool(read: Callable[[str], T], path: str) -> T:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    vision = MetadataReader(
        openai_client,
        llm_model=None,
        vision_model="fake-vision",
        request_slots=asyncio.Semaphore(1),
        run_pdf=broken_pool,
    )
    refined = await vision.refine(str(scan), extracted)
    assert refined.method == ExtractionMethod.text
    assert refined.warnings == [
        *extracted.warnings,
        "reading with a model failed: BlockingIOError: [Errno 11] Resource temporarily unavailable",
    ]
    assert fake_openai.requests == []


async def test_classification_and_metadata_reading_share_one_request_limit(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """LLM_MAX_CONCURRENCY bounds all model traffic: with 2 slots shared, 6 metadata readings
    and 6 classification batches at once never put more than 2 requests in flight."""
    limit = 2
    slots = asyncio.Semaphore(limit)
    path = await asyncio.to_thread(make_image_only_pdf, tmp_path / "scan.pdf")
    extracted = await asyncio.to_thread(extract_paper, str(path))
    fake_openai.delay_s = 0.05
    fake_openai.answer = lambda body: (
        {"papers": []} if "PaperCategories" in json.dumps(body) else metadata()
    )
    vision = MetadataReader(
        openai_client, llm_model=None, vision_model="fake-vision", request_slots=slots
    )
    llm = LLMClassifier(
        openai_client,
        "fake-model",
        cache=InMemoryClassificationCache(),
        batch_size=1,
        request_slots=slots,
    )
    await asyncio.gather(
        llm.classify(make_papers(6, "Mathematics"), TAXONOMY),
        *(vision.refine(str(path), extracted) for _ in range(6)),
    )
    assert len(fake_openai.requests) == 12
    assert fake_openai.max_in_flight == limit


async def test_an_answer_missing_a_field_still_fills_the_others(
    openai_client: AsyncOpenAI, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """A field the model leaves out is one it did not read, not a reason to drop the rest."""
    path = make_image_only_pdf(tmp_path / "scan.pdf")
    extracted = await asyncio.to_thread(extract_paper, str(path))
    fake_openai.answer = lambda body: {"title": "A Scan", "authors": ["Grace Hopper"], "year": 1952}

    refined = await reader(openai_client).refine(str(path), extracted)

    assert (refined.title, refined.authors, refined.year) == ("A Scan", ["Grace Hopper"], 1952)
    assert refined.abstract is None
    assert not [w for w in refined.warnings if "Field required" in w]
