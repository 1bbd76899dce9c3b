"""Hostile names and paths through the API: no 500, nothing read outside the roots, and a
DELETE that removes only what the service stored for that job."""

from __future__ import annotations

import asyncio
import ctypes
import shutil
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ClientFactory, ServiceClient, wait_for_file, write_papers
from tests.gated_extract import gated_pdf, release
from tests.pdf_factory import make_paper_pdf


async def upload(client: ServiceClient, name: str, pdf: Path) -> dict[str, object]:
    """Upload `pdf` under `name`, its bytes sent as they are (httpx would escape a NUL)."""
    boundary = "catalogsvc-test-boundary"
    multipart = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="files"; filename="',
            name.encode("utf-8"),
            b'"\r\nContent-Type: application/pdf\r\n\r\n',
            pdf.read_bytes(),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    response = await client.http.post("/api/jobs", content=multipart, headers=headers)
    assert response.status_code == 202, response.text
    body: dict[str, object] = response.json()
    return body


async def test_uploads_named_with_a_nul_byte_or_over_255_bytes_are_catalogued(
    client: ServiceClient, papers_dir: Path
) -> None:
    (pdf,) = write_papers(papers_dir, 1)
    long_name = "ü" * 200 + ".pdf"  # 404 bytes in UTF-8

    nul_job = await upload(client, "evil\x00name.pdf", pdf)
    long_job = await upload(client, long_name, pdf)

    for job, shown in ((nul_job, "evilname.pdf"), (long_job, long_name)):
        finished = await client.wait_until_finished(str(job["id"]))
        assert finished["status"] == "completed"
        files = await client.files(str(job["id"]))
        assert [(f["file_name"], f["state"]) for f in files] == [(shown, "done")]


async def test_a_folder_job_never_reads_a_link_to_a_file_outside_the_roots(
    client: ServiceClient, papers_dir: Path, tmp_path: Path
) -> None:
    secret = make_paper_pdf(
        tmp_path / "secret.pdf", title="The Secret Outside the Roots", authors=["Eve Spy"]
    )
    write_papers(papers_dir, 1)
    (papers_dir / "link.pdf").symlink_to(secret)

    job = await client.folder_job(papers_dir)
    finished = await client.wait_until_finished(job["id"])

    files = await client.files_by_name(job["id"])
    assert files["link.pdf"]["state"] == "skipped"
    assert "outside CATALOGSVC_ALLOWED_ROOTS" in files["link.pdf"]["error"]
    papers = await client.papers(job["id"])
    assert "The Secret Outside the Roots" not in [p["title"] for p in papers]
    assert finished["progress"]["papers"] == 1


async def test_a_file_or_folder_swapped_for_a_link_after_submission_is_not_read(
    client_factory: ClientFactory, papers_dir: Path, tmp_path: Path
) -> None:
    """The roots are checked when a job is submitted and again when a file is read: a file,
    or a folder on its path, replaced by a link while the job waits is failed, not read."""
    client = await client_factory(extract_workers=1)
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("z-file.pdf", "b.pdf"):
        make_paper_pdf(outside / name, title="The Secret Outside the Roots", authors=["Eve"])
    (papers_dir / "sub").mkdir()
    write_papers(papers_dir / "sub", 1, prefix="b")
    make_paper_pdf(papers_dir / "z-file.pdf", title="An Honest Paper", authors=["Ann Author"])
    gated = gated_pdf(papers_dir, "a-gated.pdf")
    job = await client.folder_job(papers_dir, recursive=True)
    await wait_for_file(Path(f"{gated}.started"))

    (papers_dir / "z-file.pdf").unlink()
    (papers_dir / "z-file.pdf").symlink_to(outside / "z-file.pdf")
    shutil.rmtree(papers_dir / "sub")
    (papers_dir / "sub").symlink_to(outside)
    release(gated)
    finished = await client.wait_until_finished(job["id"])

    files = await client.files_by_name(job["id"])
    for swapped in ("z-file.pdf", "sub/b0.pdf"):
        assert files[swapped]["state"] == "failed", files[swapped]
        assert "replaced by a link" in files[swapped]["error"]
    papers = await client.papers(job["id"])
    assert [p["title"] for p in papers] == ["A Paper That Takes Its Time"]
    assert finished["status"] == "completed"


def exchange(first: Path, second: Path) -> None:
    """Swap two names atomically (renameat2 with RENAME_EXCHANGE, Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, rename_exchange = -100, 2
    if libc.renameat2(at_fdcwd, bytes(first), at_fdcwd, bytes(second), rename_exchange) != 0:
        raise OSError(ctypes.get_errno(), "renameat2")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 swaps names atomically on Linux")
async def test_a_folder_swapped_for_a_link_while_files_are_read_never_leaks_outside(
    client: ServiceClient, papers_dir: Path, tmp_path: Path
) -> None:
    """A folder and a link to outside the roots swap places again and again while the job
    reads: every file is either read from inside or failed, never read from outside."""
    inside, outside = papers_dir / "race" / "sub", tmp_path / "outside" / "sub"
    for folder in (inside, outside):
        folder.mkdir(parents=True)
    (paper,) = write_papers(inside, 1)
    secret = make_paper_pdf(tmp_path / "secret.pdf", title="The Secret Outside", authors=["Eve"])
    for index in range(300):
        shutil.copy(paper, inside / f"f{index:03}.pdf")
        shutil.copy(secret, outside / f"f{index:03}.pdf")
    paper.unlink()
    (papers_dir / "race" / "subx").symlink_to(outside)
    job = await client.folder_job(papers_dir / "race", recursive=True)
    stop = threading.Event()

    def swap_until_stopped() -> None:
        while not stop.is_set():
            exchange(inside, papers_dir / "race" / "subx")

    swapper = threading.Thread(target=swap_until_stopped)
    swapper.start()
    try:
        await client.wait_until_finished(job["id"])
    finally:
        stop.set()
        swapper.join()

    papers = await client.papers(job["id"])
    assert "The Secret Outside" not in {p["title"] for p in papers}


async def test_deleting_a_job_never_removes_another_jobs_uploads(
    client_factory: ClientFactory,
    papers_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the default relative data folder and the data folder inside an allowed root, a
    folder job over another job's uploads is refused, a link to them is skipped, and
    deleting the folder job leaves them in place."""
    monkeypatch.chdir(tmp_path)
    data_dir = Path("data")
    client = await client_factory(data_dir=data_dir, allowed_roots=[papers_dir, tmp_path])
    (pdf,) = write_papers(papers_dir, 1)
    uploaded = await upload(client, "mine.pdf", pdf)
    await client.wait_until_finished(str(uploaded["id"]))
    their_uploads = (data_dir / "uploads" / str(uploaded["id"])).resolve()
    stored = list(their_uploads.iterdir())

    refused = await client.http.post("/api/jobs/folder", json={"path": str(their_uploads)})
    (papers_dir / "peek.pdf").symlink_to(stored[0])
    linking = await client.folder_job(papers_dir)
    await client.wait_until_finished(linking["id"])
    deleted = await client.http.delete(f"/api/jobs/{linking['id']}")

    assert refused.status_code == 403
    assert "data folder" in refused.json()["detail"]
    assert deleted.status_code == 204
    assert list(their_uploads.iterdir()) == stored
    catalog = await client.http.get(f"/api/jobs/{uploaded['id']}/catalog?format=json")
    assert catalog.status_code == 200


async def test_a_file_removed_after_submission_fails_alone_saying_why(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    """What a worker cannot see (removed meanwhile, or no shared volume) fails that file with
    a message that says so; the job completes with the rest."""
    client = await client_factory(extract_workers=1)
    write_papers(papers_dir, 1, prefix="b")
    make_paper_pdf(papers_dir / "z-gone.pdf", title="A Paper Soon Gone", authors=["Ann"])
    gated = gated_pdf(papers_dir, "a-gated.pdf")
    job = await client.folder_job(papers_dir)
    await wait_for_file(Path(f"{gated}.started"))

    await asyncio.to_thread((papers_dir / "z-gone.pdf").unlink)
    release(gated)
    finished = await client.wait_until_finished(job["id"])

    files = await client.files_by_name(job["id"])
    assert files["z-gone.pdf"]["state"] == "failed"
    assert "not there" in files["z-gone.pdf"]["error"]
    assert "same data folder" in files["z-gone.pdf"]["error"]
    assert (finished["status"], finished["progress"]["papers"]) == ("completed", 2)
