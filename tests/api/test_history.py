"""The history survives restarts, crashes (SIGKILL) and shutdowns (SIGTERM)."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
import time
from pathlib import Path

from catalogsvc.settings import Settings
from tests.conftest import ClientFactory, ServiceClient, wait_for_file, wait_until, write_papers
from tests.gated_extract import gated_pdf, release
from tests.server_process import ServerProcess


def start_gated_job(server: ServerProcess, papers_dir: Path) -> tuple[str, Path]:
    write_papers(papers_dir, 2, prefix="a")
    gated = gated_pdf(papers_dir, "z-gated.pdf")
    response = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)})
    assert response.status_code == 202
    return response.json()["id"], gated


async def wait_for_papers(server: ServerProcess, job_id: str, count: int) -> None:
    """Poll until the job has stored `count` papers: the gated file may start while another
    file's paper is still on its way to the store."""
    deadline = time.monotonic() + 30
    while (await asyncio.to_thread(server.http.get, f"/api/jobs/{job_id}")).json()["progress"][
        "papers"
    ] < count:
        assert time.monotonic() < deadline, f"{count} papers were not stored within 30 s"
        await asyncio.sleep(0.01)


async def test_a_sigkilled_server_leaves_the_job_interrupted_with_its_papers(
    server: ServerProcess, papers_dir: Path, client_factory: ClientFactory
) -> None:
    job_id, gated = start_gated_job(server, papers_dir)
    await wait_for_file(Path(f"{gated}.started"))
    await wait_for_papers(server, job_id, 2)
    assert server.http.get(f"/api/jobs/{job_id}").json()["status"] == "running"

    server.signal_group(signal.SIGKILL)
    server.process.wait(timeout=30)
    client = await client_factory()
    job = await client.job(job_id)

    assert job["status"] == "interrupted"
    assert job["end_time"] is not None
    papers = await client.papers(job_id)
    assert sorted(p["file_name"] for p in papers) == ["a0.pdf", "a1.pdf"]
    release(gated)
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
    await wait_for_papers(server, job_id, 2)

    server.process.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully, then re-raises the signal it caught.
    assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)
    client = await client_factory()
    job = await client.job(job_id)

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
    papers = await second.papers(job["id"])
    assert len(papers) == 2


async def test_sigterm_ends_an_open_event_stream_with_the_jobs_interrupted_status(
    server: ServerProcess, papers_dir: Path
) -> None:
    """The jobs stop before the connections close: a client following a job hears it end."""
    job_id, gated = start_gated_job(server, papers_dir)
    await wait_for_file(Path(f"{gated}.started"))
    connected = threading.Event()

    def follow() -> str:
        with server.http.stream("GET", f"/api/jobs/{job_id}/events", timeout=30) as stream:
            heard = []
            for chunk in stream.iter_text():
                heard.append(chunk)
                connected.set()
            return "".join(heard)

    following = asyncio.create_task(asyncio.to_thread(follow))
    await wait_until(connected.is_set)
    server.process.send_signal(signal.SIGTERM)
    heard = await asyncio.wait_for(following, timeout=30)

    *_, last = [part for part in heard.split("\r\n\r\n") if part.strip()]
    assert last.startswith("event: status\r\n")
    assert json.loads(last.split("data: ", 1)[1])["status"] == "interrupted"
    assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)


async def test_a_stopping_server_refuses_new_jobs_and_keeps_no_upload(
    client: ServiceClient, papers_dir: Path, settings: Settings
) -> None:
    """Once the running jobs are stopped for a shutdown, a request still in flight (a slow
    upload) starts no job: 503, nothing stored, nothing left running."""
    (paper,) = write_papers(papers_dir, 1)
    content = await asyncio.to_thread(paper.read_bytes)
    await client.runner.shutdown()

    uploaded = await client.http.post(
        "/api/jobs", files=[("files", (paper.name, content, "application/pdf"))]
    )
    folder = await client.http.post("/api/jobs/folder", json={"path": str(papers_dir)})

    for refused in (uploaded, folder):
        assert refused.status_code == 503
        assert refused.json()["detail"].startswith("The service is shutting down")
        assert refused.headers["retry-after"] == "5"
    assert await asyncio.to_thread(lambda: list(settings.uploads_dir.rglob("*"))) == []
    assert (await client.http.get("/api/jobs")).json()["items"] == []
