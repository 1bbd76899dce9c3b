"""Job answers are written straight from the store (api/job_answers.py), not through models:
each must still be exactly what the OpenAPI document's models describe, field for field and
in the models' own JSON form, and a history page must weigh what it shows."""

from __future__ import annotations

from pathlib import Path

from catalogsvc.api.schemas import JobFileOut, JobOut, JobPage, JobSummary
from catalogsvc.domain import Paper
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


async def test_files_and_papers_come_a_page_at_a_time_by_their_link_headers(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 5)
    job = (await client.http.post("/api/jobs/folder", json={"path": str(papers_dir)})).json()
    await client.wait_until_finished(job["id"])

    for kind, model in (("files", JobFileOut), ("papers", Paper)):
        whole = (await client.http.get(f"/api/jobs/{job['id']}/{kind}")).json()
        pages: list[list[dict[str, object]]] = []
        url: str | None = f"/api/jobs/{job['id']}/{kind}?limit=2"
        while url is not None:
            answer = await client.http.get(url)
            pages.append(answer.json())
            url = answer.links.get("next", {}).get("url")

        assert [len(page) for page in pages] == [2, 2, 1], kind
        assert [row for page in pages for row in page] == whole, kind
        assert [model.model_validate(row).model_dump(mode="json") for row in whole] == whole
    bad = await client.http.get(f"/api/jobs/{job['id']}/papers", params={"limit": 0})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "limit"]
