"""What a cancel answers: races with completion, repeats, finished and unknown jobs, batches."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.conftest import ClientFactory, ServiceClient, write_papers


async def test_cancel_racing_completion_leaves_one_terminal_state_and_answers_truthfully(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    outcomes = {"cancelled": 0, "completed": 0}
    for trial in range(24):
        job = await client.folder_job(papers_dir)
        # Spread the cancel over the job's life: at once, and after a growing number of yields.
        for _ in range(trial * 3):
            await asyncio.sleep(0)
        response = await client.http.post(f"/api/jobs/{job['id']}/cancel")
        finished = await client.wait_until_finished(job["id"])
        if response.status_code == 200:
            assert finished["status"] == "cancelled", trial
        else:
            assert response.status_code == 409, trial
            assert finished["status"] == "completed", trial
        assert finished["end_time"] is not None
        again = (await client.http.get(f"/api/jobs/{job['id']}")).json()
        assert again["status"] == finished["status"]
        assert again["end_time"] == finished["end_time"]
        outcomes[finished["status"]] += 1
    assert outcomes["cancelled"] > 0


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
    assert (await client.http.get(f"/api/jobs/{job['id']}")).json()["status"] == "completed"


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
