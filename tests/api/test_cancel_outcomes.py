"""What a cancel answers: races with completion, repeats, finished and unknown jobs, batches."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from tests.conftest import ClientFactory, ServiceClient, write_papers


class GatedClassifier:
    """Holds each classification until the test lets it answer."""

    name = "offline"

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.answer = asyncio.Event()

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        self.entered.set()
        await self.answer.wait()
        return [CategoryAssignment(taxonomy.categories[0].name, 1.0) for _ in papers]


async def cancel_near_completion(
    client: ServiceClient, gated: GatedClassifier, folder: Path, *, hops: int | None
) -> tuple[int, str]:
    """Run a job to its last step, classification; cancel it while the classifier still holds
    it (`hops=None`), or let the classifier answer and cancel after `hops` trips through a
    thread, the unit of the job's own last writes (its categories, then `completed`). Check
    that the answer tells the truth about the one final state, and return both."""
    gated.entered.clear()
    gated.answer.clear()
    job = await client.folder_job(folder)
    await asyncio.wait_for(gated.entered.wait(), 30)
    if hops is not None:
        gated.answer.set()
        for _ in range(hops):
            await asyncio.to_thread(int)
    response = await client.http.post(f"/api/jobs/{job['id']}/cancel")
    finished = await client.wait_until_finished(job["id"])

    if response.status_code == 200:
        assert response.json()["status"] == "cancelled"
    else:
        assert "completed" in response.json()["detail"]
    assert finished["end_time"] is not None
    again = await client.job(job["id"])
    assert (again["status"], again["end_time"]) == (finished["status"], finished["end_time"])
    return response.status_code, finished["status"]


async def test_cancel_racing_completion_leaves_one_terminal_state_and_answers_truthfully(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    """Before the classifier answers, a cancel always wins; once the job has ended it never
    does; in between, where cancel and completion race, either may, but the answer is always
    the state the job keeps."""
    gated = GatedClassifier()
    client = await client_factory(classifier_factory=lambda _s: gated)
    write_papers(papers_dir, 1)

    before = await cancel_near_completion(client, gated, papers_dir, hops=None)
    racing = [
        await cancel_near_completion(client, gated, papers_dir, hops=hops)
        for hops in range(6)
        for _ in range(3)
    ]
    after = await client.folder_job(papers_dir)
    gated.answer.set()
    await client.wait_until_finished(after["id"])
    too_late = await client.http.post(f"/api/jobs/{after['id']}/cancel")

    assert before == (200, "cancelled")
    assert set(racing) <= {(200, "cancelled"), (409, "completed")}
    assert (too_late.status_code, (await client.job(after["id"]))["status"]) == (409, "completed")


async def test_cancelling_twice_answers_200_and_changes_nothing(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await client_factory(extract_workers=1)
    job, _gated = await client.start_held_job(papers_dir)
    first = await client.http.post(f"/api/jobs/{job['id']}/cancel")
    await client.wait_until_finished(job["id"])
    second = await client.http.post(f"/api/jobs/{job['id']}/cancel")
    assert first.status_code == second.status_code == 200
    assert second.json()["end_time"] == first.json()["end_time"]
    assert second.json()["status"] == "cancelled"


async def test_cancel_of_a_completed_job_is_409_and_of_an_unknown_job_404(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    finished = await client.http.post(f"/api/jobs/{job['id']}/cancel")
    assert finished.status_code == 409
    assert "completed" in finished.json()["detail"]
    unknown = await client.http.post("/api/jobs/does-not-exist/cancel")
    assert unknown.status_code == 404
    assert (await client.job(job["id"]))["status"] == "completed"


async def test_batch_cancel_reports_an_outcome_per_id(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await client_factory(max_concurrent_jobs=1, extract_workers=1)
    done_dir = papers_dir / "done"
    done_dir.mkdir()
    write_papers(done_dir, 1)
    completed = await client.folder_job(done_dir)
    await client.wait_until_finished(completed["id"])
    running, _gated = await client.start_held_job(papers_dir)
    queued = await client.folder_job(done_dir)

    response = await client.http.post(
        "/api/jobs/cancel",
        json={"ids": [running["id"], queued["id"], completed["id"], "nope", running["id"]]},
    )

    assert response.status_code == 200
    assert [r["outcome"] for r in response.json()["results"]] == [
        "cancelled",
        "cancelled",
        "not_cancellable",
        "not_found",
        "already_cancelled",
    ]
    for job_id in (running["id"], queued["id"]):
        assert (await client.wait_until_finished(job_id))["status"] == "cancelled"


async def test_batch_cancel_without_ids_is_422_naming_the_field(client: ServiceClient) -> None:
    response = await client.http.post("/api/jobs/cancel", json={"ids": []})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ids"]
