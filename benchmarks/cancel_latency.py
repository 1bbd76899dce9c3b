"""Cancel latency per phase: from the cancel request to the job's task having ended.

Run: .venv/bin/python -m benchmarks.cancel_latency [TRIALS]
Phases measured: queued (waiting for a slot), extracting (inside a slow file in a worker),
classifying (inside a classifier call that never answers), and classifying through the real
openai client while a local OpenAI-compatible server holds the request.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from catalogsvc.app import create_app
from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from catalogsvc.jobs.runner import JobRunner
from catalogsvc.settings import Settings
from tests.fake_openai import serve_fake_openai
from tests.gated_extract import extract_gated
from tests.pdf_factory import make_paper_pdf


class StalledClassifier:
    name = "offline"

    def __init__(self) -> None:
        self.entered = asyncio.Event()

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        self.entered.set()
        await asyncio.Event().wait()
        return []


async def wait_for_path(path: Path) -> None:
    while not path.exists():
        await asyncio.sleep(0.002)


async def measure(trials: int) -> dict[str, list[float]]:
    root = Path(tempfile.mkdtemp(prefix="cancel-bench-"))
    papers = root / "papers"
    papers.mkdir()
    stalled = StalledClassifier()
    settings = Settings(
        data_dir=root / "data", allowed_roots=[papers], max_concurrent_jobs=1, extract_workers=1
    )
    app = create_app(settings, extract=extract_gated, classifier_factory=lambda _s: stalled)
    results: dict[str, list[float]] = {"queued": [], "extracting": [], "classifying": []}
    async with LifespanManager(app, startup_timeout=60) as manager:
        runner: JobRunner[Any] = app.state.runner
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:

            async def start(folder: Path) -> str:
                response = await http.post("/api/jobs/folder", json={"path": str(folder)})
                job_id: str = response.json()["id"]
                return job_id

            async def cancel(job_id: str) -> float:
                started = time.perf_counter()
                await http.post(f"/api/jobs/{job_id}/cancel")
                await runner.wait(job_id)
                return time.perf_counter() - started

            for trial in range(trials):
                folder = papers / f"t{trial}"
                folder.mkdir()
                gated = make_paper_pdf(folder / "gated.pdf", title="Slow", authors=["A B"])
                running = await start(folder)
                await wait_for_path(Path(f"{gated}.started"))
                queued = await start(folder)
                results["queued"].append(await cancel(queued))
                results["extracting"].append(await cancel(running))

                plain = papers / f"c{trial}"
                plain.mkdir()
                make_paper_pdf(plain / "paper.pdf", title=f"Paper {trial}", authors=["A B"])
                stalled.entered.clear()
                job = await start(plain)
                await stalled.entered.wait()
                results["classifying"].append(await cancel(job))
    return results


async def measure_llm_request(trials: int) -> list[float]:
    root = Path(tempfile.mkdtemp(prefix="cancel-bench-llm-"))
    papers = root / "papers"
    papers.mkdir()
    latencies = []
    async with serve_fake_openai() as fake:
        os.environ["OPENAI_BASE_URL"] = fake.base_url
        fake.hold()
        settings = Settings(
            data_dir=root / "data",
            allowed_roots=[papers],
            extract_workers=1,
            llm_model="fake-model",
        )
        app = create_app(settings)
        async with LifespanManager(app, startup_timeout=60) as manager:
            runner: JobRunner[Any] = app.state.runner
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                for trial in range(trials):
                    folder = papers / f"t{trial}"
                    folder.mkdir()
                    make_paper_pdf(folder / "p.pdf", title=f"Paper {trial}", authors=["A B"])
                    response = await http.post("/api/jobs/folder", json={"path": str(folder)})
                    job_id = response.json()["id"]
                    await fake.wait_for(lambda: fake.in_flight >= 1, timeout=30)
                    started = time.perf_counter()
                    await http.post(f"/api/jobs/{job_id}/cancel")
                    await runner.wait(job_id)
                    latencies.append(time.perf_counter() - started)
                    await fake.wait_for(lambda: fake.in_flight == 0, timeout=30)
        fake.release()
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    results = asyncio.run(measure(trials))
    results["classifying (LLM)"] = asyncio.run(measure_llm_request(trials))
    print(f"cancel latency over {trials} trials per phase (request sent → job task ended)")
    print(f"{'phase':<20}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}   target p99 ≤ 100 ms")
    for phase, values in results.items():
        ms = [v * 1000 for v in values]
        print(
            f"{phase:<20}{statistics.median(ms):>10.1f}{percentile(ms, 0.99):>10.1f}"
            f"{max(ms):>10.1f}   {'ok' if percentile(ms, 0.99) <= 100 else 'MISSED'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
