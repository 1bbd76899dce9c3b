"""Files per second through the whole service beside extract_paper alone, on the same files.

The corpus is copied COPIES times under new names into a temporary folder (a copy is still
extracted; the job then skips it as a duplicate), submitted as one folder job through the
real app, and timed per phase.

Run: .venv/bin/python -m benchmarks.service_throughput [CORPUS_DIR]
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from catalogsvc.app import create_app
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.settings import Settings

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
COPIES = 5
WORKER_COUNTS = (1, 2)


def copy_corpus(corpus: Path, folder: Path) -> list[Path]:
    for copy in range(COPIES):
        for pdf in sorted(corpus.glob("*.pdf")):
            shutil.copy(pdf, folder / f"{copy}-{pdf.name}")
    return sorted(folder.glob("*.pdf"))


def direct_files_per_second(files: list[Path]) -> float:
    started = time.perf_counter()
    for file in files:
        extract_paper(str(file))
    return len(files) / (time.perf_counter() - started)


async def service_timings(papers: Path, data_dir: Path, workers: int) -> dict[str, float]:
    """The finished job's phase timings, after one folder job over `papers`."""
    settings = Settings(data_dir=data_dir, allowed_roots=[papers], extract_workers=workers)
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            job = (await client.post("/api/jobs/folder", json={"path": str(papers)})).json()
            await app.state.runner.wait(job["id"])
            finished = (await client.get(f"/api/jobs/{job['id']}")).json()
    assert finished["status"] == "completed", finished
    timings: dict[str, float] = finished["timings"]
    return timings


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    if not any(corpus.glob("*.pdf")):
        print(f"skipped: no PDFs in {corpus}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        papers = Path(scratch) / "papers"
        papers.mkdir()
        files = copy_corpus(corpus, papers)
        direct = direct_files_per_second(files)
        print(f"{len(files)} files ({COPIES} copies of {corpus})")
        print(f"extract_paper alone, one process: {direct:.1f} files/s")
        for workers in WORKER_COUNTS:
            data_dir = Path(scratch) / f"data-{workers}"
            timings = asyncio.run(service_timings(papers, data_dir, workers))
            phase = len(files) / timings["extracting"]
            whole = len(files) / sum(timings.values())
            print(
                f"service, {workers} extraction worker(s): extracting phase {phase:.1f} files/s "
                f"(ratio to alone {phase / direct:.2f}), whole job {whole:.1f} files/s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
