"""DELETE along a resume chain: a parent's uploads stay while a resumed child reads them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from catalogsvc.settings import Settings
from tests.conftest import ClientFactory, wait_for_file, write_papers
from tests.gated_extract import extraction_count, gated_pdf, release

# What the gated extractor writes beside a file it reads; the service never stores these.
TEST_MARKERS = ("extractions.log", "*.started", "*.release")


def remove_test_markers(folder: Path) -> None:
    for pattern in TEST_MARKERS:
        for marker in folder.glob(pattern):
            marker.unlink()


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


async def test_a_deleted_parents_uploads_stay_until_its_resumed_child_is_deleted_too(
    client_factory: ClientFactory, settings: Settings, papers_dir: Path, tmp_path: Path
) -> None:
    """An upload job is cancelled while a worker holds its second file and resumed; the child
    waits queued behind another job while the parent is deleted. The child then reads the
    parent's stored upload and completes with both files done, the uploads staying on disk
    until the child is deleted too; then nothing is left under DATA_DIR/uploads."""
    client = await client_factory(extract_workers=1, max_concurrent_jobs=1)
    sources = tmp_path / "sources"
    await asyncio.to_thread(sources.mkdir)
    (paper,) = await asyncio.to_thread(write_papers, sources, 1)
    held = await asyncio.to_thread(gated_pdf, sources, "z-gated.pdf")
    files = [
        # A content type given: httpx would guess it, reading mimetypes files on the loop.
        ("files", (path.name, await asyncio.to_thread(path.read_bytes), "application/pdf"))
        for path in (paper, held)
    ]
    response = await client.http.post("/api/jobs", files=files)
    assert response.status_code == 202, response.text
    parent = response.json()
    uploads = settings.uploads_dir
    stored = [
        uploads / parent["id"] / "00000-paper0.pdf",
        uploads / parent["id"] / "00001-z-gated.pdf",
    ]
    await wait_for_file(Path(f"{stored[1]}.started"))

    cancelled = await client.http.post(f"/api/jobs/{parent['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    await client.wait_until_finished(parent["id"])
    # Another job takes the only slot, so the child stays queued while its parent is deleted.
    blocker, blocking = await client.start_held_job(papers_dir)
    resumed = await client.http.post(f"/api/jobs/{parent['id']}/resume", json={})
    assert resumed.status_code == 202, resumed.text
    child = resumed.json()
    assert (await client.job(child["id"]))["status"] == "queued"

    deleted = await client.http.delete(f"/api/jobs/{parent['id']}")

    assert deleted.status_code == 204
    assert (await client.http.get(f"/api/jobs/{parent['id']}")).status_code == 404
    assert [await asyncio.to_thread(path.exists) for path in stored] == [True, True]

    await asyncio.to_thread(release, stored[1])
    await asyncio.to_thread(release, blocking)
    finished = await client.wait_until_finished(child["id"])
    await client.wait_until_finished(blocker["id"])

    assert finished["status"] == "completed"
    states = {
        name: file["state"] for name, file in (await client.files_by_name(child["id"])).items()
    }
    assert states == {"paper0.pdf": "done", "z-gated.pdf": "done"}
    assert len(await client.papers(child["id"])) == 2
    # The child read the held file itself, from the deleted parent's upload folder.
    assert await asyncio.to_thread(extraction_count, stored[1].parent, stored[1].name) == 2
    assert [await asyncio.to_thread(path.exists) for path in stored] == [True, True]

    await asyncio.to_thread(remove_test_markers, stored[1].parent)
    assert (await client.http.delete(f"/api/jobs/{child['id']}")).status_code == 204

    assert await asyncio.to_thread(everything_under, uploads) == []
