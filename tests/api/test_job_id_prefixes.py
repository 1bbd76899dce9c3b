"""A job is reached by a unique prefix of its id (4 characters or more) wherever the API takes
an id, as people copy ids from a narrow table; an ambiguous prefix is a 422 naming job_id."""

from __future__ import annotations

import asyncio
from pathlib import Path

from catalogsvc.domain import JobKind, JobPhase, JobStatus
from catalogsvc.store.models import JobRow
from tests.conftest import ServiceClient, write_papers


def ended_job(job_id: str) -> JobRow:
    return JobRow(
        id=job_id,
        kind=JobKind.process.value,
        status=JobStatus.cancelled.value,
        phase=JobPhase.extracting.value,
        taxonomy={"name": "t", "categories": []},
        classifier="offline",
    )


async def test_a_unique_prefix_names_the_job_everywhere(
    client: ServiceClient, papers_dir: Path
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 1)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    prefix = job["id"][:8]

    got = await client.http.get(f"/api/jobs/{prefix}")
    papers = await client.http.get(f"/api/jobs/{prefix}/papers")
    catalog = await client.http.get(f"/api/jobs/{prefix}/catalog", params={"format": "json"})
    events = await client.http.get(f"/api/jobs/{prefix}/events")

    assert got.status_code == 200 and got.json()["id"] == job["id"]
    assert papers.status_code == 200 and len(papers.json()) == 1
    assert catalog.status_code == 200 and job["id"] in catalog.text
    assert events.status_code == 200 and job["id"] in events.text
    too_short = await client.http.get(f"/api/jobs/{job['id'][:3]}")
    assert too_short.status_code == 404
    assert "an id prefix needs 4 characters or more" in too_short.json()["detail"]
    upper = await client.http.get(f"/api/jobs/{job['id'].upper()}")
    assert upper.status_code == 200 and upper.json()["id"] == job["id"]


async def test_an_ambiguous_prefix_is_422_naming_job_id(client: ServiceClient) -> None:
    store = client.app.state.services.store
    for suffix in ("1", "2"):
        await asyncio.to_thread(store.create_job, ended_job("abcd" + suffix * 28), [])

    answer = await client.http.post("/api/jobs/abcd/resume")
    exact = await client.http.get("/api/jobs/abcd1")

    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["path", "job_id"]
    assert "several job ids" in answer.json()["detail"][0]["msg"]
    assert exact.json()["id"] == "abcd" + "1" * 28
