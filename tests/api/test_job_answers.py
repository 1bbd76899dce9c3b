"""Job answers are written straight from the store (api/job_answers.py), not through models:
each must still be exactly what the OpenAPI document's models describe, field for field and
in the models' own JSON form, and a history page must weigh what it shows."""

from __future__ import annotations

from pathlib import Path

from catalogsvc.api.schemas import JobOut, JobPage, JobSummary
from tests.conftest import ServiceClient, write_papers

JOBS = 50


async def test_every_job_answer_is_the_model_it_documents(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 2)
    submitted = await client.http.post("/api/jobs/folder", json={"path": str(papers_dir)})
    await client.wait_until_finished(submitted.json()["id"])
    job_id = submitted.json()["id"]
    one = (await client.http.get(f"/api/jobs/{job_id}")).json()
    page = (await client.http.get("/api/jobs")).json()
    resumed = await client.http.post(f"/api/jobs/{job_id}/reclassify")

    for answer, model in ((submitted.json(), JobOut), (one, JobOut), (resumed.json(), JobOut)):
        assert model.model_validate(answer).model_dump(mode="json") == answer
    assert JobPage.model_validate(page).model_dump(mode="json") == page
    assert set(page["items"][0]) == set(JobSummary.model_fields)
    assert page["items"][0]["taxonomy"] == {"name": one["taxonomy"]["name"]}
    assert len(one["taxonomy"]["categories"]) > 5
    assert one["progress"] == {"files_total": 2, "files_done": 2, "files_failed": 0, "papers": 2}
    assert (submitted.status_code, resumed.status_code) == (202, 202)


async def test_a_history_page_of_fifty_jobs_weighs_under_30_kb(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    for _ in range(JOBS):
        job = await client.http.post("/api/jobs/folder", json={"path": str(papers_dir)})
        await client.wait_until_finished(job.json()["id"])

    page = await client.http.get("/api/jobs", params={"limit": JOBS})

    assert len(page.json()["items"]) == JOBS
    assert len(page.content) < 30 * 1024, f"{len(page.content)} bytes"
