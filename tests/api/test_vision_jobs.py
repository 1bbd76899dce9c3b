"""Jobs of scanned papers with a vision model: on the real server and uvloop, and when it fails."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalogsvc.extraction.metadata_reader import METADATA_SCHEMA
from catalogsvc.settings import Settings
from tests.conftest import ClientFactory
from tests.fake_openai import FakeOpenAI
from tests.pdf_factory import make_scanned_pdf
from tests.server_process import ServerProcess

SCANS = 4
TERMINAL = {"completed", "failed", "cancelled", "interrupted"}


def read_scan(body: dict[str, Any]) -> dict[str, Any]:
    """What the vision model reads on every scanned page."""
    answer: dict[str, Any] = dict.fromkeys(METADATA_SCHEMA["required"])
    return answer | {"title": "A Scanned Paper", "authors": ["Grace Hopper"], "year": 1952}


def write_scans(folder: Path, count: int) -> list[Path]:
    return [
        make_scanned_pdf(folder / f"scan{index}.pdf", title=f"Scanned Paper {index}", seed=index)
        for index in range(count)
    ]


async def finished_job(http: httpx.AsyncClient, job_id: str, timeout: float = 120) -> Any:
    """Poll the job, with a deadline, until it ends; the server is another process."""
    deadline = time.monotonic() + timeout
    while (job := (await http.get(f"/api/jobs/{job_id}")).json())["status"] not in TERMINAL:
        assert time.monotonic() < deadline, f"job still {job['status']} after {timeout} s"
        await asyncio.sleep(0.1)
    return job


@pytest.fixture
def vision_openai(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    fake_openai.answer = read_scan
    return fake_openai


async def test_scanned_papers_are_read_by_vision_through_the_real_server_on_uvloop(
    settings: Settings, papers_dir: Path, vision_openai: FakeOpenAI
) -> None:
    """Issue 10: under `catalogsvc serve` (uvicorn on uvloop) every page rendered for the vision
    model is an answer of MB from a worker; the job ended `failed` with BlockingIOError."""
    await asyncio.to_thread(write_scans, papers_dir, SCANS)
    vision = settings.model_copy(update={"vision_model": "fake-vision"})
    server = await asyncio.to_thread(ServerProcess, vision)
    try:
        base_url = f"http://127.0.0.1:{server.port}"
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            response = await http.post("/api/jobs/folder", json={"path": str(papers_dir)})
            assert response.status_code == 202, response.text
            job = await finished_job(http, response.json()["id"])
            papers = (await http.get(f"/api/jobs/{job['id']}/papers")).json()
    finally:
        await asyncio.to_thread(server.close)

    assert job["status"] == "completed", job
    assert [paper["method"] for paper in papers] == ["vision"] * SCANS
    assert {paper["title"] for paper in papers} == {"A Scanned Paper"}
    assert len(vision_openai.requests) == SCANS


@pytest.mark.parametrize("failure", ["garbage", "http 500"])
async def test_a_failed_vision_answer_leaves_the_file_with_a_warning_and_the_job_completes(
    client_factory: ClientFactory, papers_dir: Path, vision_openai: FakeOpenAI, failure: str
) -> None:
    if failure == "garbage":
        vision_openai.answer = lambda body: "<html>Bad Gateway</html>"
        expected = "malformed JSON"
    else:
        vision_openai.fail_first, vision_openai.fail_status = 100, 500
        expected = "HTTP 500"
    await asyncio.to_thread(write_scans, papers_dir, 1)
    client = await client_factory(vision_model="fake-vision", llm_max_retries=0)
    job = await client.folder_job(papers_dir)
    finished = await client.wait_until_finished(job["id"])

    assert finished["status"] == "completed"
    (paper,) = await client.papers(job["id"])
    assert paper["method"] == "text"
    assert any(expected in warning for warning in paper["warnings"]), paper["warnings"]


async def test_llm_max_concurrency_bounds_metadata_reading_and_classification_together(
    client_factory: ClientFactory, papers_dir: Path, vision_openai: FakeOpenAI
) -> None:
    """Two workers hold four scanned files at once; with LLM_MAX_CONCURRENCY=1 the model still
    sees one request at a time, through metadata reading and classification alike."""
    vision_openai.delay_s = 0.05
    vision_openai.answer = lambda body: (
        {"papers": []}
        if body["response_format"]["json_schema"]["name"] == "PaperCategories"
        else read_scan(body)
    )
    await asyncio.to_thread(write_scans, papers_dir, SCANS)
    client = await client_factory(
        vision_model="fake-vision",
        llm_model="fake-model",
        llm_max_concurrency=1,
        extract_workers=2,
    )
    job = await client.folder_job(
        papers_dir, taxonomy=[{"name": "Computing", "description": "computers"}]
    )
    finished = await client.wait_until_finished(job["id"], timeout=120)

    assert finished["status"] == "completed"
    models = sorted(request.model for request in vision_openai.requests)
    assert models.count("fake-vision") == SCANS and "fake-model" in models
    assert vision_openai.max_in_flight == 1
