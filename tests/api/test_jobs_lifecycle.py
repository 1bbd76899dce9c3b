"""A job end to end through the HTTP API: upload, progress, papers, files, catalog."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from tests.conftest import ClientFactory, ServiceClient, write_papers
from tests.gated_extract import release
from tests.pdf_factory import (
    make_corrupt_pdf,
    make_empty_file,
    make_encrypted_pdf,
    make_not_a_pdf,
)
from tests.postgres_server import PostgresServer


async def test_upload_job_completes_with_papers_and_failed_files_explained(
    client: ServiceClient, tmp_path: Path
) -> None:
    good = write_papers(tmp_path, 2)
    bad = [
        make_corrupt_pdf(tmp_path / "corrupt.pdf"),
        make_encrypted_pdf(tmp_path / "locked.pdf"),
        make_not_a_pdf(tmp_path / "notes.pdf"),
        make_empty_file(tmp_path / "empty.pdf"),
    ]
    files = [("files", (p.name, p.read_bytes(), "application/pdf")) for p in good + bad]
    response = await client.http.post("/api/jobs", files=files)
    assert response.status_code == 202
    job = response.json()
    assert job["status"] in ("queued", "running")
    assert job["kind"] == "process" and job["classifier"] == "offline"

    finished = await client.wait_until_finished(job["id"])

    assert finished["status"] == "completed"
    assert finished["phase"] == "done"
    assert finished["progress"] == {
        "files_total": 6,
        "files_done": 6,
        "files_failed": 4,
        "papers": 2,
    }
    assert finished["start_time"] and finished["end_time"]
    assert set(finished["timings"]) == {"extracting", "classifying"}
    by_name = await client.files_by_name(job["id"])
    for path in bad:
        assert by_name[path.name]["state"] == "failed"
        assert by_name[path.name]["error"], f"{path.name} failed without a message"
    assert "password" in by_name["locked.pdf"]["error"].lower()
    papers = await client.papers(job["id"])
    assert sorted(p["file_name"] for p in papers) == ["paper0.pdf", "paper1.pdf"]
    assert all(p["category"] for p in papers)
    assert papers[0]["title"].startswith("On the Structure of Test Paper")


async def test_catalog_downloads_in_every_format_with_a_file_name(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 2)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])

    schema = (await client.http.get("/openapi.json")).json()
    documented = schema["paths"]["/api/jobs/{job_id}/catalog"]["get"]["responses"]["200"]
    for fmt in ("markdown", "html", "json", "bibtex", "csv", "csl-json", "ris"):
        response = await client.http.get(f"/api/jobs/{job['id']}/catalog", params={"format": fmt})
        assert response.status_code == 200, fmt
        assert "attachment; filename=" in response.headers["content-disposition"]
        assert response.headers["content-type"].partition(";")[0] in documented["content"], fmt
    catalog = json.loads(
        (await client.http.get(f"/api/jobs/{job['id']}/catalog?format=json")).content
    )
    assert catalog["partial"] is False
    assert sum(len(group["papers"]) for group in catalog["categories"]) == 2


async def test_catalog_of_an_unknown_format_is_422_naming_the_field(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    response = await client.http.get(f"/api/jobs/{job['id']}/catalog?format=docx")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "format"


async def test_catalogs_are_rendered_from_the_store_and_never_written_to_disk(
    client: ServiceClient, papers_dir: Path, tmp_path: Path
) -> None:
    """The stored papers are the one source of a catalog: every format downloads, the same
    bytes each time, and the data folder holds no catalog files."""
    write_papers(papers_dir, 1)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    formats = ["markdown", "html", "json", "bibtex", "csv", "csl-json", "ris"]

    for fmt in formats:
        url = f"/api/jobs/{job['id']}/catalog?format={fmt}"
        first, again = await client.http.get(url), await client.http.get(url)
        assert first.status_code == 200, (fmt, first.text)
        assert first.content == again.content
    assert not (tmp_path / "data" / "catalogs").exists()


async def test_duplicate_content_is_skipped_with_a_note(
    client: ServiceClient, papers_dir: Path
) -> None:
    (original,) = write_papers(papers_dir, 1)
    (papers_dir / "copy.pdf").write_bytes(original.read_bytes())
    job = await client.folder_job(papers_dir)
    finished = await client.wait_until_finished(job["id"])
    assert finished["progress"]["papers"] == 1
    files_out = await client.files(job["id"])
    states = sorted(f["state"] for f in files_out)
    assert states == ["done", "skipped"]
    skipped = next(f for f in files_out if f["state"] == "skipped")
    assert "same content as" in skipped["error"]


async def test_on_postgresql_a_job_goes_through_the_task_queue_to_the_worker_inside_serve(
    client_factory: ClientFactory, postgres: PostgresServer, papers_dir: Path
) -> None:
    """PostgreSQL turns the task queue on; SERVE_WORKS makes the API its own worker."""
    client = await client_factory(
        database_url=postgres.new_database(), serve_works=True, replica_id="single-box"
    )
    write_papers(papers_dir, 2)
    job = await client.folder_job(papers_dir)

    # The event stream of a job run by a queue task ends when the job does.
    await client.http.get(f"/api/jobs/{job['id']}/events", timeout=60)
    finished = await client.job(job["id"])

    assert finished["status"] == "completed"
    assert finished["progress"]["papers"] == 2
    assert {f["worker"] for f in await client.files(job["id"])} == {"single-box"}
    papers = await client.papers(job["id"])
    assert sorted(p["title"][:32] for p in papers) == ["On the Structure of Test Paper N"] * 2
    (listed,) = (await client.http.get("/api/jobs")).json()["items"]
    assert listed["id"] == job["id"]


async def test_each_file_names_the_worker_that_read_it_and_a_resume_keeps_it(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    """Done, failed and skipped files carry the name of the replica that read them; a resumed
    job's carried-over files keep their reader's name, and the rest get the new one's."""
    first = await client_factory(replica_id="reader-a", extract_workers=1)
    write_papers(papers_dir, 1, prefix="a")
    await asyncio.to_thread(make_not_a_pdf, papers_dir / "b-notes.pdf")
    parent, gated = await first.start_held_job(papers_dir, "z-gated.pdf")
    await files_ended(first, parent["id"], {"a0.pdf", "b-notes.pdf"})
    await first.http.post(f"/api/jobs/{parent['id']}/cancel")
    release(gated)
    second = await client_factory(replica_id="reader-b")

    child = (await second.http.post(f"/api/jobs/{parent['id']}/resume")).json()
    await second.wait_until_finished(child["id"])

    parent_files = await first.files_by_name(parent["id"])
    assert {name: f["worker"] for name, f in parent_files.items()} == {
        "a0.pdf": "reader-a",
        "b-notes.pdf": "reader-a",
        "z-gated.pdf": None,  # cancelled while it was read: no one finished it
    }
    child_files = await second.files_by_name(child["id"])
    assert {name: f["worker"] for name, f in child_files.items()} == {
        "a0.pdf": "reader-a",
        "b-notes.pdf": "reader-a",
        "z-gated.pdf": "reader-b",
    }


async def files_ended(client: ServiceClient, job_id: str, names: set[str]) -> None:
    """Poll, with a deadline, until the named files of the job have ended."""
    deadline = time.monotonic() + 30
    while True:
        files = await client.files_by_name(job_id)
        if all(files[name]["state"] != "pending" for name in names):
            return
        assert time.monotonic() < deadline, files
        await asyncio.sleep(0.01)
