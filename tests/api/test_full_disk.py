"""A full disk, on a real server whose data folder is a small tmpfs: clear 507s, nothing
partial left, no job stuck `running`, cancel and DELETE still work, and new jobs run again
once there is room, without a restart.

Mounting the tmpfs needs root (CI runs as root); elsewhere these tests skip and say why.
"""

from __future__ import annotations

import errno
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalogsvc.settings import Settings
from tests.conftest import poll_until, write_papers
from tests.gated_extract import gated_pdf, release
from tests.server_process import ServerProcess

DISK_MB = 40
RESERVE_MB = 4


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs as the data disk needs root (CI runs as root)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine cannot mount a tmpfs: {mounted.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


@pytest.fixture
def full_disk_server(small_disk: Path, settings: Settings) -> Iterator[ServerProcess]:
    on_disk = settings.model_copy(
        update={"data_dir": small_disk / "data", "disk_reserve_mb": RESERVE_MB}
    )
    server = ServerProcess(on_disk)
    yield server
    server.close()


def fill(disk: Path) -> Path:
    """Write a file until the disk has no byte left; return it, to free the space later."""
    filler = disk / f"filler-{time.monotonic_ns()}"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for chunk in (1024 * 1024, 4096, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    return filler


def wait_for_status(server: ServerProcess, job_id: str, statuses: set[str]) -> dict[str, Any]:
    job: dict[str, Any] = {}

    def ended() -> bool:
        job.update(server.http.get(f"/api/jobs/{job_id}").json())
        return job["status"] in statuses

    poll_until(ended, f"job {job_id} ending {statuses}")
    return job


def upload(server: ServerProcess, pdf: Path) -> Any:
    with pdf.open("rb") as content:
        return server.http.post(
            "/api/jobs", files={"files": (pdf.name, content, "application/pdf")}
        )


def test_an_upload_that_does_not_fit_is_a_507_and_leaves_nothing_behind(
    full_disk_server: ServerProcess, small_disk: Path, papers_dir: Path
) -> None:
    (paper,) = write_papers(papers_dir, 1)
    filler = fill(small_disk)

    response = upload(full_disk_server, paper)

    assert response.status_code == 507
    assert "disk is full" in response.json()["detail"]
    assert list((small_disk / "data" / "uploads").glob("*")) == []
    filler.unlink()
    job = upload(full_disk_server, paper).json()
    assert wait_for_status(full_disk_server, job["id"], {"completed"})["progress"]["papers"] == 1


def test_a_job_that_runs_out_of_space_fails_and_cancel_and_delete_work_while_full(
    full_disk_server: ServerProcess, small_disk: Path, papers_dir: Path
) -> None:
    """The disk fills while a job holds a file: the job ends `failed` naming the cause; a
    second job, held running, is cancelled and the first deleted on a disk refilled to the
    last byte; once the space is back a new job completes on the same server."""
    first, second = papers_dir / "first", papers_dir / "second"
    for folder in (first, second):
        folder.mkdir()
        write_papers(folder, 1)
    gated, held = gated_pdf(first), gated_pdf(second)  # `held` keeps the second job running
    server = full_disk_server
    failing = server.http.post("/api/jobs/folder", json={"path": str(first)}).json()
    poll_until(Path(f"{gated}.started").exists, "the gated file starting")
    # Only now: with one worker, a second job's held file taken first would keep the gated
    # one from ever starting.
    waiting = server.http.post("/api/jobs/folder", json={"path": str(second)}).json()
    fillers = [fill(small_disk)]
    release(gated)

    failed = wait_for_status(server, failing["id"], {"failed", "completed"})
    assert failed["status"] == "failed"
    assert "disk is full" in failed["error"]

    fillers.append(fill(small_disk))
    cancelled = server.http.post(f"/api/jobs/{waiting['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"

    fillers.append(fill(small_disk))
    deleted = server.http.delete(f"/api/jobs/{failing['id']}")
    assert deleted.status_code == 204, deleted.text
    assert server.http.get(f"/api/jobs/{failing['id']}").status_code == 404

    for filler in fillers:
        filler.unlink()
    release(held)
    again = server.http.post("/api/jobs/folder", json={"path": str(second)}).json()
    assert wait_for_status(server, again["id"], {"completed", "failed"})["status"] == "completed"
    statuses = {job["status"] for job in server.http.get("/api/jobs").json()["items"]}
    assert statuses == {"cancelled", "completed"}
