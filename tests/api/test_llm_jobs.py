"""Jobs with an OpenAI-compatible model configured, through the real client and a fake server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.classification.test_llm_classifier import sent_papers
from tests.conftest import ClientFactory, ServiceClient, write_papers
from tests.fake_openai import FakeOpenAI
from tests.pdf_factory import make_image_only_pdf

TAXONOMY = [
    {"name": "Galaxies", "description": "galaxy clusters, stars, dark matter"},
    {"name": "Cooking", "description": "recipes and kitchens"},
]


def answer_galaxies(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "papers": [
            {"index": record["index"], "category": "Galaxies", "confidence": 0.8}
            for record in sent_papers(body)
        ]
    }


@pytest.fixture
async def llm_client(
    client_factory: ClientFactory, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> ServiceClient:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    fake_openai.answer = answer_galaxies
    return await client_factory(llm_model="fake-model", llm_batch_size=2, llm_max_concurrency=2)


async def test_a_job_classifies_with_the_model_in_batches(
    llm_client: ServiceClient, fake_openai: FakeOpenAI, papers_dir: Path
) -> None:
    write_papers(papers_dir, 5)
    job = await llm_client.folder_job(papers_dir, taxonomy=TAXONOMY)
    finished = await llm_client.wait_until_finished(job["id"])

    assert finished["status"] == "completed"
    assert finished["classifier"] == "openai:fake-model"
    assert len(fake_openai.requests) == 3  # ceil(5 papers / batch of 2)
    papers = await llm_client.papers(job["id"])
    assert {p["category"] for p in papers} == {"Galaxies"}
    assert all(p["category_score"] == 0.8 for p in papers)


async def test_reclassify_with_the_same_taxonomy_is_answered_from_the_cache(
    llm_client: ServiceClient, fake_openai: FakeOpenAI, papers_dir: Path
) -> None:
    write_papers(papers_dir, 3)
    parent = await llm_client.folder_job(papers_dir, taxonomy=TAXONOMY)
    await llm_client.wait_until_finished(parent["id"])
    asked = len(fake_openai.requests)

    response = await llm_client.http.post(f"/api/jobs/{parent['id']}/reclassify")
    child = await llm_client.wait_until_finished(response.json()["id"])

    assert child["status"] == "completed"
    assert len(fake_openai.requests) == asked == 2
    papers = await llm_client.papers(child["id"])
    assert {p["category"] for p in papers} == {"Galaxies"}


async def test_cancel_during_a_model_request_closes_it_and_keeps_the_papers(
    llm_client: ServiceClient, fake_openai: FakeOpenAI, papers_dir: Path
) -> None:
    write_papers(papers_dir, 2)
    fake_openai.hold()
    job = await llm_client.folder_job(papers_dir, taxonomy=TAXONOMY)
    await fake_openai.wait_for(lambda: fake_openai.in_flight >= 1, timeout=30)

    response = await llm_client.http.post(f"/api/jobs/{job['id']}/cancel")
    await fake_openai.wait_for(lambda: len(fake_openai.disconnects) >= 1)
    finished = await llm_client.wait_until_finished(job["id"], timeout=5)

    assert response.json()["status"] == "cancelled"
    assert finished["phase"] == "classifying"
    assert finished["progress"]["papers"] == 2
    catalog = json.loads(
        (await llm_client.http.get(f"/api/jobs/{job['id']}/catalog?format=json")).content
    )
    assert catalog["partial"] is True
    fake_openai.release()


async def reclassified_then_cancelled(
    client: ServiceClient, fake_openai: FakeOpenAI, papers_dir: Path, taxonomy: list[Any]
) -> tuple[str, str]:
    """A job of two papers classified with TAXONOMY, and its reclassify into `taxonomy`
    cancelled while the model is asked: their ids."""
    write_papers(papers_dir, 2)
    parent = await client.folder_job(papers_dir, taxonomy=TAXONOMY)
    await client.wait_until_finished(parent["id"])
    fake_openai.hold()
    response = await client.http.post(
        f"/api/jobs/{parent['id']}/reclassify", json={"taxonomy": taxonomy}
    )
    child_id = response.json()["id"]
    await fake_openai.wait_for(lambda: fake_openai.in_flight >= 1, timeout=30)
    await client.http.post(f"/api/jobs/{child_id}/cancel")
    await client.wait_until_finished(child_id, timeout=5)
    fake_openai.release()
    return parent["id"], child_id


async def test_a_reclassify_into_another_taxonomy_stopped_before_its_answers_has_no_old_categories(
    llm_client: ServiceClient, fake_openai: FakeOpenAI, papers_dir: Path
) -> None:
    """The parent's categories belong to its taxonomy: the child, cancelled while the model
    is asked, lists its papers as not classified yet, not under the old categories."""
    other = [
        {"name": "Proteins", "description": "folding, enzymes"},
        {"name": "Rivers", "description": "floods, sediment"},
    ]
    parent_id, child_id = await reclassified_then_cancelled(
        llm_client, fake_openai, papers_dir, other
    )

    assert [p["category"] for p in await llm_client.papers(child_id)] == [None, None]
    catalog = json.loads(
        (await llm_client.http.get(f"/api/jobs/{child_id}/catalog?format=json")).content
    )
    assert [group["name"] for group in catalog["categories"]] == ["Not classified yet"]
    assert {p["category"] for p in await llm_client.papers(parent_id)} == {"Galaxies"}


async def test_a_stopped_reclassify_keeps_the_categories_its_taxonomy_also_has(
    llm_client: ServiceClient, fake_openai: FakeOpenAI, papers_dir: Path
) -> None:
    """The same categories in another order (a taxonomy given as a list is named `custom`):
    the parent's answers are still categories of the child's taxonomy."""
    _, child_id = await reclassified_then_cancelled(
        llm_client, fake_openai, papers_dir, TAXONOMY[::-1]
    )

    assert [p["category"] for p in await llm_client.papers(child_id)] == ["Galaxies"] * 2


async def test_a_scanned_paper_is_read_by_the_vision_model_in_a_job(
    client_factory: ClientFactory,
    fake_openai: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    fake_openai.answer = lambda body: {
        "title": "A Scanned Paper Title",
        "authors": ["Grace Hopper"],
        "year": 1952,
        "doi": None,
        "arxiv_id": None,
        "abstract": None,
    }
    client = await client_factory(vision_model="fake-vision")
    scanned = make_image_only_pdf(tmp_path / "scan.pdf")
    content = await asyncio.to_thread(scanned.read_bytes)
    response = await client.http.post(
        "/api/jobs", files=[("files", (scanned.name, content, "application/pdf"))]
    )
    await client.wait_until_finished(response.json()["id"])

    (paper,) = await client.papers(response.json()["id"])
    assert paper["method"] == "vision"
    assert paper["title"] == "A Scanned Paper Title"
    assert paper["authors"] == ["Grace Hopper"]
    assert [r.model for r in fake_openai.requests] == ["fake-vision"]
    assert fake_openai.requests[0].image_urls[0].startswith("data:image/png;base64,")
