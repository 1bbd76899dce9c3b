"""Resume and reclassify: new jobs linked to their parent, reusing its papers."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.conftest import ClientFactory, ServiceClient, write_papers
from tests.gated_extract import extraction_count, release
from tests.pdf_factory import make_corrupt_pdf, make_paper_pdf


async def test_resume_of_a_cancelled_job_extracts_only_the_rest_and_completes(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await client_factory(extract_workers=1)
    write_papers(papers_dir, 2, prefix="a")
    parent, gated = await client.start_held_job(papers_dir, "z-gated.pdf")
    await client.http.post(f"/api/jobs/{parent['id']}/cancel")
    await client.wait_until_finished(parent["id"])
    release(gated)

    response = await client.http.post(f"/api/jobs/{parent['id']}/resume", json={})
    assert response.status_code == 202
    child = response.json()
    assert child["parent_id"] == parent["id"]
    assert child["progress"]["files_total"] == 3
    finished = await client.wait_until_finished(child["id"])

    assert finished["status"] == "completed"
    assert finished["progress"] == {
        "files_total": 3,
        "files_done": 3,
        "files_failed": 0,
        "papers": 3,
    }
    assert extraction_count(papers_dir, "a0.pdf") == 1
    assert extraction_count(papers_dir, "a1.pdf") == 1
    assert (await client.job(parent["id"]))["status"] == "cancelled"


async def stopped_job_with_a_failed_file(client: ServiceClient, folder: Path) -> str:
    """A cancelled job whose broken file failed; the file is repaired afterwards."""
    folder.mkdir(exist_ok=True)
    write_papers(folder, 1)
    broken = make_corrupt_pdf(folder / "broken.pdf")
    parent, gated = await client.start_held_job(folder, "z-gated.pdf")
    deadline = time.monotonic() + 30
    while "failed" not in [f["state"] for f in await client.files(parent["id"])]:
        assert time.monotonic() < deadline, "the broken file did not fail in time"
        await asyncio.sleep(0.01)
    await client.http.post(f"/api/jobs/{parent['id']}/cancel")
    await client.wait_until_finished(parent["id"])
    release(gated)
    make_paper_pdf(broken, title="Now Repaired and Readable", authors=["Fixed Author"])
    return str(parent["id"])


async def test_resume_with_retry_failed_runs_failed_files_again(
    client: ServiceClient, papers_dir: Path
) -> None:
    plain_parent = await stopped_job_with_a_failed_file(client, papers_dir / "plain")
    retried_parent = await stopped_job_with_a_failed_file(client, papers_dir / "retried")

    plain = await client.http.post(f"/api/jobs/{plain_parent}/resume")
    retried = await client.http.post(
        f"/api/jobs/{retried_parent}/resume", json={"retry_failed": True}
    )
    plain_done = await client.wait_until_finished(plain.json()["id"])
    retried_done = await client.wait_until_finished(retried.json()["id"])

    assert plain_done["status"] == retried_done["status"] == "completed"
    plain_files = {f["file_name"]: f["state"] for f in await client.files(plain_done["id"])}
    retried_files = {
        f["file_name"]: (f["state"], f["error"]) for f in await client.files(retried_done["id"])
    }
    assert plain_files == {"broken.pdf": "failed", "paper0.pdf": "done", "z-gated.pdf": "done"}
    assert retried_files == {
        "broken.pdf": ("done", None),
        "paper0.pdf": ("done", None),
        "z-gated.pdf": ("done", None),
    }
    assert plain_done["progress"]["files_failed"] == 1
    assert extraction_count(papers_dir / "plain", "broken.pdf") == 1
    assert retried_done["progress"]["files_failed"] == 0
    assert retried_done["progress"]["papers"] == 3
    assert extraction_count(papers_dir / "retried", "broken.pdf") == 2


async def test_resume_of_a_completed_job_is_409(client: ServiceClient, papers_dir: Path) -> None:
    write_papers(papers_dir, 1)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    response = await client.http.post(f"/api/jobs/{job['id']}/resume")
    assert response.status_code == 409


async def test_reclassify_classifies_the_same_papers_without_extracting_again(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 2)
    parent = await client.folder_job(papers_dir)
    await client.wait_until_finished(parent["id"])
    taxonomy = [
        {"name": "Galaxies", "description": "galaxy clusters, stars, dark matter, telescopes"},
        {"name": "Cooking", "description": "recipes, kitchens, food"},
    ]

    response = await client.http.post(
        f"/api/jobs/{parent['id']}/reclassify", json={"taxonomy": taxonomy}
    )
    assert response.status_code == 202
    child = await client.wait_until_finished(response.json()["id"])

    assert child["kind"] == "reclassify"
    assert child["status"] == "completed"
    assert child["parent_id"] == parent["id"]
    assert [c["name"] for c in child["taxonomy"]["categories"]] == ["Galaxies", "Cooking"]
    assert "extracting" not in child["timings"]
    papers = await client.papers(child["id"])
    assert len(papers) == 2
    assert {p["category"] for p in papers} <= {"Galaxies", "Cooking", "Uncategorized"}
    assert extraction_count(papers_dir, "paper0.pdf") == 1


async def test_reclassify_with_an_invalid_taxonomy_is_422_naming_it(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    parent = await client.folder_job(papers_dir)
    await client.wait_until_finished(parent["id"])
    response = await client.http.post(
        f"/api/jobs/{parent['id']}/reclassify", json={"taxonomy": [{"name": "A"}, {"name": "a"}]}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "taxonomy"
