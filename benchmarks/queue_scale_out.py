"""The PostgreSQL task queue measured side by side, in one run, on a throwaway PostgreSQL:

- spread: one job of FILES corpus papers on 1 worker, then on 2 (one extraction process each);
- overhead: the same job in-process (no queue, one extraction process) against 1 worker;
- cancel: TRIALS cancels of a job running on 2 workers; time from the cancel's answer until
  every task of the job has stopped (aborted or never started), and files stored after it.

Run: .venv/bin/python -m benchmarks.queue_scale_out [FILES] [TRIALS]   (defaults 300, 20)
Needs ../shared/corpus/dev and PostgreSQL's initdb (the test script installs it).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from catalogsvc.app import open_services
from catalogsvc.settings import Settings
from catalogsvc.taxonomies import resolve_taxonomy
from tests.postgres_server import PostgresServer

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
REPO_ROOT = Path(__file__).resolve().parents[1]


def copy_corpus(folder: Path, files: int) -> None:
    """`files` distinct PDFs: the corpus again and again, each copy one byte longer."""
    folder.mkdir(parents=True)
    sources = sorted(CORPUS.glob("*.pdf"))
    for index in range(files):
        target = folder / f"{index:04}-{sources[index % len(sources)].name}"
        shutil.copy(sources[index % len(sources)], target)
        with target.open("ab") as handle:
            handle.write(b"\n%" + str(index).encode() + b"\n")


def start_workers(settings: Settings, count: int) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "CATALOGSVC_DATABASE_URL": settings.resolved_database_url,
        "CATALOGSVC_TASK_QUEUE": "true",
        "CATALOGSVC_DATA_DIR": str(settings.data_dir),
        "CATALOGSVC_ALLOWED_ROOTS": os.pathsep.join(map(str, settings.allowed_roots)),
        "CATALOGSVC_EXTRACT_WORKERS": "1",
        "CATALOGSVC_WORKER_CONCURRENCY": "1",
    }
    return [
        subprocess.Popen(
            [sys.executable, "-m", "catalogsvc.cli", "worker"],
            cwd=REPO_ROOT,
            env={**env, "CATALOGSVC_REPLICA_ID": f"bench-{n}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n in range(count)
    ]


def wait_until_registered(url: str, count: int) -> None:
    """Workers take a few seconds to start (imports, their extraction process): wait, so
    that the timings measure the work, not the start."""
    engine = create_engine(url)
    try:
        while True:
            with engine.connect() as connection:
                registered = connection.execute(
                    text("SELECT count(*) FROM procrastinate.procrastinate_workers")
                ).scalar_one()
            if registered >= count:
                return
            time.sleep(0.1)
    finally:
        engine.dispose()


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait()


def busy_cpu_seconds() -> float:
    """CPU time this machine has spent busy (every process, every core), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


async def run_job(settings: Settings, folder: Path) -> tuple[float, float]:
    """Seconds from submission to the job's end, as the store shows it, and how many of the
    machine's cores were busy meanwhile (every process: workers, API, PostgreSQL)."""
    async with open_services(settings) as (services, _runner):
        started = time.perf_counter()
        busy_before = busy_cpu_seconds()
        job = await services.jobs.submit_folder(
            str(folder), recursive=False, taxonomy=resolve_taxonomy(None)
        )
        while True:
            now = await services.jobs.get_job(job.job.id)
            if now.job.status in {"completed", "failed", "cancelled", "interrupted"}:
                assert now.job.status == "completed", now.job.error
                seconds = time.perf_counter() - started
                return seconds, (busy_cpu_seconds() - busy_before) / seconds
            await asyncio.sleep(0.05)


def active_tasks(url: str, job_id: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM procrastinate.procrastinate_jobs p JOIN job_tasks t"
                        " ON t.task_id = p.id WHERE t.job_id = :job AND p.status = 'doing'"
                    ),
                    {"job": job_id},
                ).scalar_one()
            )
    finally:
        engine.dispose()


async def cancel_trial(settings: Settings, folder: Path) -> tuple[float, int]:
    async with open_services(settings) as (services, _runner):
        job = await services.jobs.submit_folder(
            str(folder), recursive=False, taxonomy=resolve_taxonomy(None)
        )
        job_id = job.job.id
        while (await services.jobs.get_job(job_id)).progress.files_done < 10:
            await asyncio.sleep(0.01)
        answer = await services.jobs.cancel_job(job_id)
        answered = time.perf_counter()
        url = settings.resolved_database_url
        while await asyncio.to_thread(active_tasks, url, job_id):
            await asyncio.sleep(0.002)
        stopped = time.perf_counter() - answered
        await asyncio.sleep(0.5)  # anything a worker still stored would show by now
        after = (await services.jobs.get_job(job_id)).progress.files_done
        return stopped, after - answer.progress.files_done


def main(files: int, trials: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    postgres = PostgresServer()
    try:
        folder = root / "papers"
        copy_corpus(folder, files)
        base = Settings(data_dir=root / "data", allowed_roots=[folder], extract_workers=1)
        url = postgres.new_database()
        in_process = base.model_copy(update={"database_url": url, "task_queue": False})
        queued = in_process.model_copy(update={"task_queue": True, "queue_batch_size": 10})
        runs = {"in-process, 1 extraction process": asyncio.run(run_job(in_process, folder))}
        for count in (1, 2):
            workers = start_workers(queued, count)
            wait_until_registered(url, count)
            try:
                runs[f"queue, {count} worker(s)"] = asyncio.run(run_job(queued, folder))
            finally:
                stop(workers)
        workers = start_workers(queued, 2)
        wait_until_registered(url, 2)
        try:
            results = [asyncio.run(cancel_trial(queued, folder)) for _ in range(trials)]
        finally:
            stop(workers)
    finally:
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)
    cores = os.cpu_count() or 1
    for name, (value, busy) in runs.items():
        print(f"{name:36} {value:7.2f} s  {files / value:6.1f} files/s  {busy:.2f} cores busy")
    (one, one_busy), (two, _) = runs["queue, 1 worker(s)"], runs["queue, 2 worker(s)"]
    print(f"spread: 2 workers / 1 worker = {two / one:.2f} (target <= 0.6)")
    # One worker already keeps `one_busy` cores busy: two cannot beat one_busy / cores here.
    print(f"  best possible on {cores} cores: {min(1.0, one_busy / cores):.2f}")
    alone = runs["in-process, 1 extraction process"][0]
    print(f"queue overhead: 1 worker / in-process = {one / alone:.2f}")
    stops = sorted(stop_s * 1000 for stop_s, _ in results)
    p99 = stops[min(len(stops) - 1, round(0.99 * (len(stops) - 1)))]
    print(
        f"cancel over {trials} trials: tasks stopped p50 {statistics.median(stops):.1f} ms, "
        f"p99 {p99:.1f} ms, max {stops[-1]:.1f} ms (target p99 <= 100); "
        f"files stored after the answer: {sum(after for _, after in results)}"
    )


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*arguments)
