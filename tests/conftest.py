"""Fixtures: settings on a temporary data dir, the real app over ASGI, PDFs on disk."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvloop
from asgi_lifespan import LifespanManager
from blockbuster import BlockBuster, blockbuster_ctx
from fastapi import FastAPI
from pytest_asyncio import is_async_test

from catalogsvc.app import create_app
from catalogsvc.jobs.runner import JobRunner
from catalogsvc.parts import ClassifierFactory
from catalogsvc.settings import Settings
from tests.gated_extract import extract_gated, gated_pdf
from tests.pdf_factory import make_paper_pdf
from tests.server_process import ServerProcess

pytest_plugins = ["tests.conftest_llm", "tests.conftest_store"]

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
CORPUS_DIR = SHARED_DIR / "corpus" / "dev"


# Tests that start a server process, a browser or a CLI process, or fuzz: `pytest -m "not slow"`
# leaves them out for a fast inner loop; CI runs everything.
SLOW_MODULES = {
    "tests/api/test_fuzzing.py",
    "tests/api/test_full_disk.py",
    "tests/api/test_database_down.py",
    "tests/test_cli_terminal.py",
    "tests/api/test_history.py",
    "tests/api/test_events.py",
    "tests/api/test_upload_limit.py",
    "tests/api/test_vision_jobs.py",
    "tests/test_cli.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.relative_to(REPO_ROOT).as_posix()
        if module in SLOW_MODULES or module.startswith("tests/web/"):
            item.add_marker(pytest.mark.slow)


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Every async test runs on uvloop, the loop `catalogsvc serve` runs on (uvicorn's "auto")."""
    return {"uvloop": uvloop.new_event_loop}


# Async test modules whose own code blocks the loop (reading fixture files, store calls,
# marker files, ServerProcess's sync client): there the detector watches the service's calls
# only. Everywhere else it watches the tests' calls too.
TESTS_THAT_BLOCK = {
    "tests/api/test_llm_jobs.py",
    "tests/api/test_requests.py",
    "tests/api/test_jobs_lifecycle.py",
    "tests/api/test_hostile_inputs.py",
    "tests/api/test_resume_reclassify.py",
    "tests/api/test_frozen_history.py",
    "tests/api/test_api_keys.py",
    "tests/api/test_cancel.py",
    "tests/api/test_cancel_outcomes.py",
    "tests/api/test_history.py",
    "tests/test_cli.py",
    "tests/jobs/test_task_queue.py",
}
# These set up rows by calling the store on the loop themselves, which the detector cannot
# tell from the service doing it; the store's own calls are watched in the other modules.
UNWATCHED = {"tests/jobs/test_leases.py", "tests/jobs/test_replicas.py"}


@pytest.fixture(autouse=True)
def blockbuster(request: pytest.FixtureRequest) -> Iterator[BlockBuster | None]:
    """In async tests, a blocking call on the event loop from the service fails the test."""
    module = request.node.path.relative_to(REPO_ROOT).as_posix()
    if not is_async_test(request.node) or module in UNWATCHED:
        yield None
        return
    watched = ["catalogsvc"] if module in TESTS_THAT_BLOCK else ["catalogsvc", "tests"]
    with blockbuster_ctx(watched) as detector:
        yield detector


@pytest.fixture
def server(settings: Settings) -> Iterator[ServerProcess]:
    """The real service under uvicorn, with the gated extractor and one extraction worker."""
    running = ServerProcess(settings)
    yield running
    running.close()


@pytest.fixture
def papers_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(tmp_path: Path, papers_dir: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        allowed_roots=[papers_dir],
        max_concurrent_jobs=2,
        extract_workers=2,
        file_timeout_s=30,
        _env_file=None,
    )


class ServiceClient:
    """The real app in-process, with its lifespan running, and helpers to wait on jobs."""

    def __init__(self, app: FastAPI, http: httpx.AsyncClient) -> None:
        self.app = app
        self.http = http

    @property
    def runner(self) -> JobRunner[Any]:
        runner: JobRunner[Any] = self.app.state.runner
        return runner

    async def wait_until_finished(self, job_id: str, timeout: float = 30) -> dict[str, Any]:
        """Await the job's task, then return the job as the API shows it."""
        await asyncio.wait_for(self.runner.wait(job_id), timeout)
        response = await self.http.get(f"/api/jobs/{job_id}")
        body: dict[str, Any] = response.json()
        return body

    async def job(self, job_id: str) -> dict[str, Any]:
        """GET /api/jobs/{id}: the job with its progress, as the API shows it."""
        response = await self.http.get(f"/api/jobs/{job_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def files(self, job_id: str) -> list[dict[str, Any]]:
        """GET /api/jobs/{id}/files: each file's state and error, in the job's order."""
        response = await self.http.get(f"/api/jobs/{job_id}/files")
        assert response.status_code == 200, response.text
        files: list[dict[str, Any]] = response.json()
        return files

    async def files_by_name(self, job_id: str) -> dict[str, dict[str, Any]]:
        """The job's files keyed by their display name."""
        return {file["file_name"]: file for file in await self.files(job_id)}

    async def papers(self, job_id: str) -> list[dict[str, Any]]:
        """GET /api/jobs/{id}/papers: the papers stored so far."""
        response = await self.http.get(f"/api/jobs/{job_id}/papers")
        assert response.status_code == 200, response.text
        papers: list[dict[str, Any]] = response.json()
        return papers

    async def start_held_job(
        self, folder: Path, gated_name: str = "gated.pdf"
    ) -> tuple[dict[str, Any], Path]:
        """Start a folder job and return once a worker holds its gated file and every file
        before it has ended (a worker may take the gated file while the paper of the file
        before is still on its way to the store)."""
        gated = gated_pdf(folder, gated_name)
        job = await self.folder_job(folder)
        await wait_for_file(Path(f"{gated}.started"))
        deadline = time.monotonic() + 30
        while True:
            files = [f["file_name"] for f in await self.files(job["id"]) if f["state"] == "pending"]
            if files[:1] == [gated.name]:  # the gated file is the first one still pending
                return job, gated
            assert time.monotonic() < deadline, f"files before {gated.name} still pending: {files}"
            await asyncio.sleep(0.01)

    async def folder_job(self, folder: Path, **extra: Any) -> dict[str, Any]:
        response = await self.http.post("/api/jobs/folder", json={"path": str(folder), **extra})
        assert response.status_code == 202, response.text
        body: dict[str, Any] = response.json()
        return body


ClientFactory = Callable[..., Awaitable[ServiceClient]]


@pytest.fixture
async def client_factory(settings: Settings) -> AsyncIterator[ClientFactory]:
    """Build clients over apps with the given overrides; all are shut down at the end."""
    managers: list[LifespanManager] = []
    clients: list[httpx.AsyncClient] = []

    async def build(
        *, classifier_factory: ClassifierFactory | None = None, **overrides: Any
    ) -> ServiceClient:
        # Building the app reads its static files: done before serving, never on a loop.
        app = await asyncio.to_thread(
            create_app,
            settings.model_copy(update=overrides),
            extract=extract_gated,
            classifier_factory=classifier_factory,
        )
        manager = LifespanManager(app, startup_timeout=60, shutdown_timeout=60)
        await manager.__aenter__()
        managers.append(manager)
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://test"
        )
        clients.append(http)
        return ServiceClient(app, http)

    yield build
    for http in clients:
        await http.aclose()
    for manager in reversed(managers):
        await manager.__aexit__(None, None, None)


@pytest.fixture
async def client(client_factory: ClientFactory) -> ServiceClient:
    return await client_factory()


def write_papers(folder: Path, count: int, prefix: str = "paper") -> list[Path]:
    return [
        make_paper_pdf(
            folder / f"{prefix}{index}.pdf",
            title=f"On the Structure of Test Paper Number {index} in Galaxy Clusters",
            authors=["Ada Lovelace", "Alan Turing"],
            abstract="We observe galaxies, stars and dark matter halos with a telescope. " * 4,
            year=2020 + index % 5,
            doi=f"10.1234/test.{index}",
        )
        for index in range(count)
    ]


async def wait_for_file(path: Path, timeout: float = 30) -> None:
    """Poll for a file another process creates, with a deadline."""
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(path.exists):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear within {timeout} s")
        await asyncio.sleep(0.01)


def poll_until(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll, from a test's own thread, a condition another process makes true (a file it
    writes, a state it serves): no event crosses a process, so this polls with a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.01)


async def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Poll a condition another thread makes true, with a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true within {timeout} s")
        await asyncio.sleep(0.001)


def extraction_worker_pids() -> set[int]:
    """The pids of the live extraction workers this test process started (its multiprocessing
    children: with `extract_workers=1`, the one worker of the one app)."""
    return {child.pid for child in multiprocessing.active_children() if child.pid is not None}


async def wait_until_exited(pid: int, timeout: float = 10) -> None:
    """Poll, with a deadline, until process `pid` is gone (killed and reaped by its parent)."""

    def alive() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(alive):
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {pid} was still running after {timeout} s")
        await asyncio.sleep(0.01)
