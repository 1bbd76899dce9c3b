"""Cancelling jobs: while queued, inside a slow file, during classification, before the catalog."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from pathlib import Path

from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from catalogsvc.settings import Settings
from tests.conftest import (
    ClientFactory,
    ServiceClient,
    extraction_worker_pids,
    wait_until_exited,
    write_papers,
)
from tests.gated_extract import release


async def wait_for_papers(client: ServiceClient, job_id: str, count: int) -> None:
    """Wait until the job has stored `count` papers: a paper is stored a moment after its
    worker has moved on to the next file, and a cancel before that discards it."""
    deadline = time.monotonic() + 30
    while (await client.job(job_id))["progress"]["papers"] < count:
        assert time.monotonic() < deadline, f"job {job_id} did not store {count} papers"
        await asyncio.sleep(0.01)


async def test_cancel_inside_a_slow_file_stops_at_once_and_keeps_earlier_papers(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await client_factory(extract_workers=1)
    write_papers(papers_dir, 2, prefix="a")
    job, _gated = await client.start_held_job(papers_dir, "z-gated.pdf")
    await wait_for_papers(client, job["id"], 2)
    (holder,) = extraction_worker_pids()  # the one worker, holding the gated file

    started = time.monotonic()
    response = await client.http.post(f"/api/jobs/{job['id']}/cancel")
    await client.wait_until_finished(job["id"], timeout=5)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["error"] == "Cancelled by user"
    assert body["end_time"] and body["cancel_requested_at"]
    assert elapsed < 5, "the cancel waited for the slow file"
    await wait_until_exited(holder, timeout=5)  # killed in the file, not left to finish it
    papers = await client.papers(job["id"])
    assert sorted(p["file_name"] for p in papers) == ["a0.pdf", "a1.pdf"]
    files = {f["file_name"]: f["state"] for f in await client.files(job["id"])}
    assert files["z-gated.pdf"] == "pending"
    stored = await client.job(job["id"])
    assert stored["status"] == "cancelled"
    assert stored["progress"]["papers"] == 2


async def test_cancelled_job_serves_a_partial_catalog(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await client_factory(extract_workers=1)
    write_papers(papers_dir, 1, prefix="a")
    job, _gated = await client.start_held_job(papers_dir, "z-gated.pdf")
    await wait_for_papers(client, job["id"], 1)
    await client.http.post(f"/api/jobs/{job['id']}/cancel")
    await client.wait_until_finished(job["id"])

    response = await client.http.get(f"/api/jobs/{job['id']}/catalog?format=json")
    assert response.status_code == 200
    catalog = response.json()
    assert catalog["partial"] is True
    titles = [p["title"] for group in catalog["categories"] for p in group["papers"]]
    assert len(titles) == 1


async def test_catalog_of_a_running_job_is_409(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await client_factory(extract_workers=1)
    job, _gated = await client.start_held_job(papers_dir)
    response = await client.http.get(f"/api/jobs/{job['id']}/catalog")
    assert response.status_code == 409
    await client.http.post(f"/api/jobs/{job['id']}/cancel")


async def test_cancel_of_a_queued_job_before_its_first_file(
    client_factory: ClientFactory, papers_dir: Path, tmp_path: Path
) -> None:
    client = await client_factory(max_concurrent_jobs=1, extract_workers=1)
    blocker, _gated = await client.start_held_job(papers_dir)
    other_dir = papers_dir / "second"
    other_dir.mkdir()
    write_papers(other_dir, 2)
    queued = await client.folder_job(other_dir)
    assert queued["status"] == "queued"

    response = await client.http.post(f"/api/cancel/{queued['id']}")
    await client.wait_until_finished(queued["id"], timeout=5)

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["start_time"] is None
    files = await client.files(queued["id"])
    assert [f["state"] for f in files] == ["pending", "pending"]
    assert not (other_dir / "extractions.log").exists()
    await client.http.post(f"/api/jobs/{blocker['id']}/cancel")


class BlockingClassifier:
    """A classifier whose request never answers, like a stalled LLM server."""

    name = "offline"

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.abandoned = asyncio.Event()

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        self.entered.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.abandoned.set()
            raise
        raise AssertionError("unreachable")


async def test_cancel_during_classification_abandons_the_call(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    blocking = BlockingClassifier()
    client = await client_factory(classifier_factory=lambda _s: blocking)
    write_papers(papers_dir, 2)
    job = await client.folder_job(papers_dir)
    await asyncio.wait_for(blocking.entered.wait(), 30)

    response = await client.http.post(f"/api/jobs/{job['id']}/cancel")
    await asyncio.wait_for(blocking.abandoned.wait(), 1)
    finished = await client.wait_until_finished(job["id"], timeout=5)

    assert response.json()["status"] == "cancelled"
    assert finished["phase"] == "classifying"
    papers = await client.papers(job["id"])
    assert len(papers) == 2
    assert all(p["category"] is None for p in papers)


class CancellingClassifier:
    """Cancels the job through the API at the end of its call, as the phase is finishing."""

    name = "offline"

    def __init__(self) -> None:
        self.client: ServiceClient | None = None
        self.job_id = ""

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        assert self.client is not None
        response = await self.client.http.post(f"/api/jobs/{self.job_id}/cancel")
        assert response.status_code == 200
        return [CategoryAssignment(taxonomy.categories[0].name, 1.0) for _ in papers]


async def test_cancel_at_the_end_of_classification_writes_no_catalog(
    client_factory: ClientFactory, papers_dir: Path, settings: Settings
) -> None:
    cancelling = CancellingClassifier()
    client = await client_factory(classifier_factory=lambda _s: cancelling, max_concurrent_jobs=1)
    cancelling.client = client
    write_papers(papers_dir, 1)
    job = await client.folder_job(papers_dir)
    cancelling.job_id = job["id"]
    finished = await client.wait_until_finished(job["id"])

    assert finished["status"] == "cancelled"
    assert finished["phase"] == "classifying"
    papers = await client.papers(job["id"])
    assert len(papers) == 1


async def test_cancel_before_classification_never_calls_the_classifier(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    blocking = BlockingClassifier()
    client = await client_factory(classifier_factory=lambda _s: blocking, extract_workers=1)
    job, gated = await client.start_held_job(papers_dir)
    await client.http.post(f"/api/jobs/{job['id']}/cancel")
    release(gated)
    finished = await client.wait_until_finished(job["id"])

    assert finished["status"] == "cancelled"
    assert finished["phase"] == "extracting"
    assert not blocking.entered.is_set()
