"""The library over every job the caller may see: search and paging, duplicates, one entry
per work, and any query or selection downloaded in every catalog format."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from catalogsvc.api.routes import papers as papers_route
from tests.conftest import ServiceClient, write_papers


async def test_the_library_searches_every_job_and_pages_like_the_history(
    client: ServiceClient, papers_dir: Path
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 3)
    for _ in range(2):  # the same folder twice: six papers in two jobs
        job = await client.folder_job(papers_dir)
        await client.wait_until_finished(job["id"])
    first, *_ = await client.papers(job["id"])
    await client.http.patch(f"/api/papers/{first['id']}", json={"title": "Heliotrope fields"})

    found = (await client.http.get("/api/papers", params={"q": "heliotrope"})).json()
    every = (await client.http.get("/api/papers", params={"q": "galaxy clusters"})).json()
    page = (await client.http.get("/api/papers", params={"limit": 4})).json()
    rest = (
        await client.http.get("/api/papers", params={"limit": 4, "cursor": page["next_cursor"]})
    ).json()
    of_job = (await client.http.get("/api/papers", params={"job": job["id"][:6]})).json()
    bad = await client.http.get("/api/papers", params={"year_from": 99})

    assert [p["id"] for p in found["items"]] == [first["id"]]
    assert len(every["items"]) == 5, "the corrected title no longer says galaxy clusters"
    assert len(page["items"]) == 4 and len(rest["items"]) == 2 and rest["next_cursor"] is None
    assert {p["job_id"] for p in of_job["items"]} == {job["id"]}, "a job id's prefix names it"
    assert len(of_job["items"]) == 3
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "year_from"]


async def test_a_library_query_downloads_in_every_catalog_format(
    client: ServiceClient, papers_dir: Path
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 3)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    first, *_ = await client.papers(job["id"])
    await client.http.patch(f"/api/papers/{first['id']}", json={"title": "Heliotrope fields"})

    for fmt in ("markdown", "html", "json", "bibtex", "csv", "csl-json", "ris"):
        answer = await client.http.get(
            "/api/papers/catalog", params={"format": fmt, "q": "heliotrope"}
        )
        assert answer.status_code == 200, fmt
        assert "Heliotrope fields" in answer.text and "Galaxy Clusters" not in answer.text, fmt
    whole = await client.http.get("/api/papers/catalog", params={"format": "json"})
    assert sum(len(group["papers"]) for group in whole.json()["categories"]) == 3
    assert "X-Catalog-Truncated" not in whole.headers


async def test_a_catalog_of_more_papers_than_it_holds_says_it_was_cut(
    client: ServiceClient, papers_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 3)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    monkeypatch.setattr(papers_route, "LIBRARY_EXPORT_LIMIT", 2)

    cut = await client.http.get("/api/papers/catalog", params={"format": "json"})

    assert sum(len(group["papers"]) for group in cut.json()["categories"]) == 2
    assert cut.headers["X-Catalog-Truncated"] == "2"


async def test_a_paper_catalogued_in_two_jobs_lists_the_other_as_its_duplicate(
    client: ServiceClient, papers_dir: Path
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 1)
    jobs = []
    for _ in range(2):
        jobs.append(await client.folder_job(papers_dir))
        await client.wait_until_finished(jobs[-1]["id"])
    (mine,) = await client.papers(jobs[0]["id"])
    (other,) = await client.papers(jobs[1]["id"])

    answer = await client.http.get(f"/api/papers/{mine['id']}/duplicates")
    missing = await client.http.get("/api/papers/999999/duplicates")

    assert [p["id"] for p in answer.json()] == [other["id"]]
    assert missing.status_code == 404


async def test_one_entry_per_work_lists_the_newest_copy_with_the_others_ids(
    client: ServiceClient, papers_dir: Path
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 2)
    jobs = []
    for _ in range(3):  # two papers, each catalogued in three jobs
        jobs.append(await client.folder_job(papers_dir))
        await client.wait_until_finished(jobs[-1]["id"])
    oldest = await client.papers(jobs[0]["id"])
    newest = await client.papers(jobs[2]["id"])

    works = (await client.http.get("/api/papers", params={"one_per_work": True})).json()
    first = (await client.http.get("/api/papers", params={"one_per_work": True, "limit": 1})).json()
    second = (
        await client.http.get(
            "/api/papers",
            params={"one_per_work": True, "limit": 1, "cursor": first["next_cursor"]},
        )
    ).json()
    # The newest copies fall outside the job filter: the older job's copy stands for its work.
    in_old_job = (
        await client.http.get("/api/papers", params={"one_per_work": True, "job": jobs[0]["id"]})
    ).json()
    bibtex = await client.http.get(
        "/api/papers/catalog", params={"format": "bibtex", "one_per_work": True}
    )
    # A selection of old copies: each stands for its work, newer copies outside it aside.
    selected = (
        await client.http.get(
            "/api/papers", params={"one_per_work": True, "id": [p["id"] for p in oldest]}
        )
    ).json()

    assert sorted(p["id"] for p in works["items"]) == sorted(p["id"] for p in newest)
    assert all(len(p["same_work"]) == 2 for p in works["items"])
    assert works["next_cursor"] is None
    assert [p["id"] for p in first["items"] + second["items"]] == [p["id"] for p in works["items"]]
    assert sorted(p["id"] for p in in_old_job["items"]) == sorted(p["id"] for p in oldest)
    assert bibtex.text.count("@article{") + bibtex.text.count("@misc{") == 2
    assert sorted(p["id"] for p in selected["items"]) == sorted(p["id"] for p in oldest)


async def test_a_selection_of_papers_downloads_as_a_catalog(
    client: ServiceClient, papers_dir: Path
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 3)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    papers = await client.papers(job["id"])
    chosen = [papers[0], papers[2]]

    answer = await client.http.get(
        "/api/papers/catalog", params={"format": "json", "id": [p["id"] for p in chosen]}
    )
    too_many = await client.http.get("/api/papers", params={"id": list(range(1, 1002))})
    beyond = await client.http.get("/api/papers", params={"id": [1, 2**80]})  # found by fuzzing

    listed = [p["title"] for group in answer.json()["categories"] for p in group["papers"]]
    assert sorted(listed) == sorted(p["title"] for p in chosen)
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["loc"] == ["query", "id"]
    assert beyond.status_code == 422 and beyond.json()["detail"][0]["loc"] == ["query", "id", 1]
