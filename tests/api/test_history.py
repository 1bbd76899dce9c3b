"""The history survives restarts, crashes (SIGKILL) and shutdowns (SIGTERM)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from catalogsvc.settings import Settings
from tests.api.test_cancel import gated_pdf
from tests.conftest import REPO_ROOT, ClientFactory, wait_for_file, write_papers


class ServerProcess:
    """The service in its own process group, on a free port."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {
            **os.environ,
            "CATALOGSVC_DATA_DIR": str(settings.data_dir),
            "CATALOGSVC_ALLOWED_ROOTS": os.pathsep.join(map(str, settings.allowed_roots)),
            "CATALOGSVC_EXTRACT_WORKERS": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.serve_gated", str(self.port)],
            cwd=REPO_ROOT,
            env=env,
            start_new_session=True,
        )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.http.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
            time.sleep(0.05)  # polling a starting server with a deadline

    def signal_group(self, sig: signal.Signals) -> None:
        os.killpg(self.process.pid, sig)

    def close(self) -> None:
        self.http.close()
        if self.process.poll() is None:
            self.signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def server(settings: Settings) -> Iterator[ServerProcess]:
    running = ServerProcess(settings)
    yield running
    running.close()


def start_gated_job(server: ServerProcess, papers_dir: Path) -> tuple[str, Path]:
    write_papers(papers_dir, 2, prefix="a")
    gated = gated_pdf(papers_dir, "z-gated.pdf")
    response = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)})
    assert response.status_code == 202
    return response.json()["id"], gated


async def test_a_sigkilled_server_leaves_the_job_interrupted_with_its_papers(
    server: ServerProcess, papers_dir: Path, client_factory: ClientFactory
) -> None:
    job_id, gated = start_gated_job(server, papers_dir)
    await wait_for_file(Path(f"{gated}.started"))
    assert server.http.get(f"/api/jobs/{job_id}").json()["status"] == "running"

    server.signal_group(signal.SIGKILL)
    server.process.wait(timeout=30)
    client = await client_factory()
    job = (await client.http.get(f"/api/jobs/{job_id}")).json()

    assert job["status"] == "interrupted"
    assert job["end_time"] is not None
    papers = (await client.http.get(f"/api/jobs/{job_id}/papers")).json()
    assert sorted(p["file_name"] for p in papers) == ["a0.pdf", "a1.pdf"]
    Path(f"{gated}.release").touch()
    resumed = await client.http.post(f"/api/jobs/{job_id}/resume")
    assert resumed.status_code == 202
    finished = await client.wait_until_finished(resumed.json()["id"])
    assert finished["status"] == "completed"
    assert finished["progress"]["papers"] == 3


async def test_sigterm_stops_running_jobs_as_interrupted_not_cancelled(
    server: ServerProcess, papers_dir: Path, client_factory: ClientFactory
) -> None:
    job_id, gated = start_gated_job(server, papers_dir)
    await wait_for_file(Path(f"{gated}.started"))

    server.process.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully, then re-raises the signal it caught.
    assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)
    client = await client_factory()
    job = (await client.http.get(f"/api/jobs/{job_id}")).json()

    assert job["status"] == "interrupted"
    assert "shut down" in job["error"]
    assert job["progress"]["papers"] == 2


async def test_history_survives_a_restart(client_factory: ClientFactory, papers_dir: Path) -> None:
    first = await client_factory()
    write_papers(papers_dir, 2)
    job = await first.folder_job(papers_dir)
    await first.wait_until_finished(job["id"])

    second = await client_factory()
    history = (await second.http.get("/api/jobs")).json()
    assert job["id"] in [item["id"] for item in history["items"]]
    papers = (await second.http.get(f"/api/jobs/{job['id']}/papers")).json()
    assert len(papers) == 2
