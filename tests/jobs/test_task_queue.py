"""The PostgreSQL task queue with real `catalogsvc worker` processes: one job spread over two
workers, a cancel that stops them at once, and a SIGKILLed worker's files finished by the
other. Skips where PostgreSQL cannot be started (see tests/postgres_server.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from catalogsvc.settings import Settings
from tests.api.test_events import read_events
from tests.conftest import REPO_ROOT, ClientFactory, ServiceClient, wait_for_file, write_papers
from tests.gated_extract import gated_pdf, release
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.slow


class Workers:
    """`catalogsvc worker` processes (with the gated extractor) on one database."""

    def __init__(self, settings: Settings, database_url: str) -> None:
        self._env = {
            **os.environ,
            "CATALOGSVC_DATABASE_URL": database_url,
            "CATALOGSVC_TASK_QUEUE": "true",
            "CATALOGSVC_DATA_DIR": str(settings.data_dir),
            "CATALOGSVC_ALLOWED_ROOTS": os.pathsep.join(map(str, settings.allowed_roots)),
            "CATALOGSVC_EXTRACT_WORKERS": "1",
            "CATALOGSVC_WORKER_CONCURRENCY": "1",
            "CATALOGSVC_WORKER_HEARTBEAT_S": "0.5",
            "CATALOGSVC_WORKER_STALL_S": "2",
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> None:
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "tests.cli_gated", "worker"],
            cwd=REPO_ROOT,
            env={**self._env, "CATALOGSVC_REPLICA_ID": name},
            start_new_session=True,
        )

    def kill(self, name: str, how: signal.Signals = signal.SIGKILL) -> None:
        os.killpg(self.processes[name].pid, how)
        self.processes[name].wait(timeout=30)

    def kill_main_process(self, name: str) -> None:
        """SIGKILL the worker alone, not its extraction processes (unlike a whole group)."""
        self.processes[name].kill()
        self.processes[name].wait(timeout=30)

    def left_behind(self, name: str) -> list[int]:
        """Processes still in the killed worker's process group (its session)."""
        group = self.processes[name].pid
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ProcessLookupError):
                    if os.getpgid(int(entry.name)) == group:
                        found.append(int(entry.name))
        return found

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def database_url(postgres: PostgresServer) -> str:
    return postgres.new_database()


@pytest.fixture
async def queue_api(
    client_factory: ClientFactory, database_url: str
) -> AsyncIterator[ServiceClient]:
    yield await client_factory(database_url=database_url, task_queue=True, queue_batch_size=1)


@pytest.fixture
def workers(settings: Settings, database_url: str) -> Iterator[Workers]:
    started = Workers(settings, database_url)
    yield started
    started.stop()


def queue_rows(database_url: str, sql: str) -> list[Any]:
    """The rows a query of the task queue's tables gives."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql)).all())
    finally:
        engine.dispose()


def queue_tasks(database_url: str) -> dict[str, int]:
    """How many of the queue's tasks are in each status."""
    sql = "SELECT status, count(*) FROM procrastinate.procrastinate_jobs GROUP BY 1"
    return {str(status): int(count) for status, count in queue_rows(database_url, sql)}


def live_workers(database_url: str) -> int:
    """How many workers procrastinate knows to be running (each registers as it starts)."""
    sql = "SELECT count(*) FROM procrastinate.procrastinate_workers"
    return int(queue_rows(database_url, sql)[0][0])


async def wait_until(check: Callable[[], Any], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(check):
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        await asyncio.sleep(0.05)


async def until_ended(client: ServiceClient, job_id: str, timeout: float = 90) -> dict[str, Any]:
    """Poll the API, with a deadline, until the job (run by other processes) has ended."""
    deadline = time.monotonic() + timeout
    while True:
        job = await client.job(job_id)
        if job["status"] not in {"queued", "running"}:
            return job
        assert time.monotonic() < deadline, job
        await asyncio.sleep(0.05)


async def test_one_job_is_spread_over_two_workers_and_completes(
    queue_api: ServiceClient, workers: Workers, papers_dir: Path, database_url: str
) -> None:
    write_papers(papers_dir, 8)
    workers.start("worker-1")
    workers.start("worker-2")
    # On a busy machine one worker could take every task before the other has started.
    await wait_until(lambda: live_workers(database_url) == 2, "both workers starting")

    job = await queue_api.folder_job(papers_dir)
    stream = await queue_api.http.get(f"/api/jobs/{job['id']}/events", timeout=90)
    finished = await until_ended(queue_api, job["id"])

    events = list(read_events(stream.text.splitlines()))
    assert events[0][0] == "job" and events[-1] == ("status", events[-1][1])
    assert events[-1][1]["status"] == "completed"
    assert "progress" in {kind for kind, _ in events}
    assert finished["status"] == "completed", finished
    assert set(finished["timings"]) == {"extracting", "classifying"}
    assert finished["timings"]["extracting"] > 0
    assert finished["progress"] == {
        "files_total": 8,
        "files_done": 8,
        "files_failed": 0,
        "papers": 8,
    }
    files = await queue_api.files(job["id"])
    assert {f["worker"] for f in files} == {"worker-1", "worker-2"}
    papers = await queue_api.papers(job["id"])
    assert all(paper["category"] for paper in papers)


async def test_a_cancel_aborts_the_jobs_tasks_and_nothing_is_stored_after_it(
    queue_api: ServiceClient, workers: Workers, papers_dir: Path, database_url: str
) -> None:
    write_papers(papers_dir, 6, prefix="b")
    gated = gated_pdf(papers_dir, "a-gated.pdf")  # first in line: held by a worker
    workers.start("worker-1")
    job = await queue_api.folder_job(papers_dir)
    await wait_for_file(Path(f"{gated}.started"), timeout=60)

    answer = await queue_api.http.post(f"/api/jobs/{job['id']}/cancel")
    at_answer = (await queue_api.job(job["id"]))["progress"]
    release(gated)
    await wait_until(
        lambda: not {"todo", "doing"} & set(queue_tasks(database_url)), "every task ending"
    )

    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert (await queue_api.job(job["id"]))["progress"] == at_answer
    tasks = queue_tasks(database_url)
    assert tasks.get("aborted", 0) + tasks.get("cancelled", 0) >= 1, tasks
    assert at_answer["files_done"] < 7


async def test_a_killed_workers_files_are_finished_by_the_other_exactly_once(
    queue_api: ServiceClient, workers: Workers, papers_dir: Path
) -> None:
    write_papers(papers_dir, 4, prefix="b")
    gated = gated_pdf(papers_dir, "a-gated.pdf")
    workers.start("worker-1")
    job = await queue_api.folder_job(papers_dir)
    await wait_for_file(Path(f"{gated}.started"), timeout=60)
    workers.start("worker-2")

    workers.kill_main_process("worker-1")  # holding the gated file
    await wait_until(lambda: not workers.left_behind("worker-1"), "its extraction processes ending")
    Path(f"{gated}.started").unlink()
    release(gated)
    finished = await until_ended(queue_api, job["id"])

    assert finished["status"] == "completed", finished
    assert finished["progress"]["papers"] == finished["progress"]["files_done"] == 5
    files = await queue_api.files_by_name(job["id"])
    assert files["a-gated.pdf"]["worker"] == "worker-2"
    papers = await queue_api.papers(job["id"])
    assert len({paper["sha256"] for paper in papers}) == len(papers) == 5


async def test_a_worker_stopped_mid_task_leaves_the_task_to_another_worker(
    queue_api: ServiceClient, workers: Workers, papers_dir: Path
) -> None:
    """SIGTERM: the worker drains for WORKER_STALL_S - 2 x heartbeat (1 s here), then cuts
    the held task short; the task runs again on the other worker instead of ending aborted
    with its job left running."""
    write_papers(papers_dir, 3, prefix="b")
    gated = gated_pdf(papers_dir, "a-gated.pdf")
    workers.start("worker-1")
    job = await queue_api.folder_job(papers_dir)
    await wait_for_file(Path(f"{gated}.started"), timeout=60)
    workers.start("worker-2")

    await asyncio.to_thread(workers.kill, "worker-1", signal.SIGTERM)  # holding the gated file
    release(gated)
    finished = await until_ended(queue_api, job["id"])

    assert finished["status"] == "completed", finished
    assert finished["progress"]["papers"] == finished["progress"]["files_done"] == 4, (
        await queue_api.files(job["id"])
    )
    files = await queue_api.files_by_name(job["id"])
    assert files["a-gated.pdf"]["worker"] == "worker-2"
