"""Jobs have names: given on submit, or the folder's name, or the first file's and a count;
a resume or a reclassify keeps its parent's; every job says what it read (`source`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.conftest import ServiceClient, write_papers


async def test_a_job_is_named_as_asked_or_after_what_it_read(
    client: ServiceClient, papers_dir: Path
) -> None:
    paths = await asyncio.to_thread(write_papers, papers_dir, 2)
    folder = await client.folder_job(papers_dir)
    named = await client.folder_job(papers_dir, name="Thesis sources")
    one, two = await asyncio.gather(*(asyncio.to_thread(p.read_bytes) for p in paths))
    upload = await client.http.post(
        "/api/jobs",
        files=[
            ("files", ("a.pdf", one, "application/pdf")),
            ("files", ("b.pdf", two, "application/pdf")),
        ],
    )
    await client.wait_until_finished(folder["id"])
    reclassified = await client.http.post(f"/api/jobs/{folder['id']}/reclassify")

    assert (folder["name"], folder["source"]) == ("papers", str(papers_dir))
    assert named["name"] == "Thesis sources"
    assert (upload.json()["name"], upload.json()["source"]) == ("a.pdf and 1 more", "upload")
    assert reclassified.json()["name"] == "papers"
    listed = (await client.http.get("/api/jobs")).json()["items"]
    assert {job["name"] for job in listed} >= {"papers", "Thesis sources", "a.pdf and 1 more"}


async def test_a_name_too_long_is_422_naming_it(client: ServiceClient, papers_dir: Path) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 1)
    answer = await client.http.post(
        "/api/jobs/folder", json={"path": str(papers_dir), "name": "x" * 201}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "name"]
