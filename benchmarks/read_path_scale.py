"""The read path at scale, for benchmarks.read_path: the history at 100,000 jobs (filters and a
deep page included) and the files and papers of one job of 10,000 files, each loaded by wrk
(one thread, one connection: one client waiting for each answer) for its p99."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from benchmarks.seeded_jobs import seed_jobs
from benchmarks.served import CATALOGSVC, catalogsvc_env, running, wrk

JOBS = 100_000
BIG_JOB_FILES = 10_000
TARGET_MS = 50


def scale_lines(scratch: Path, seconds: int) -> list[str]:
    data_dir = scratch / "data-scale"
    started = time.perf_counter()
    ids = seed_jobs(f"sqlite:///{data_dir}/catalogsvc.db", JOBS, 0, big_job_files=BIG_JOB_FILES)
    print(
        f"({JOBS:,} jobs, the newest of {BIG_JOB_FILES:,} files, stored in "
        f"{time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    big = ids[-1]
    with running(CATALOGSVC, catalogsvc_env(data_dir), "/healthz") as base:
        middle = httpx.get(f"{base}/api/jobs/{ids[JOBS // 2]}").json()
        deep = httpx.get(f"{base}/api/jobs", params={"limit": 1, "cursor": str(JOBS // 2)})
        assert deep.status_code == 200 and middle["id"]
        cases = [
            ("history, first page of 50", "/api/jobs?limit=50"),
            ("history, failed only", "/api/jobs?limit=50&status=failed"),
            ("history, reclassify only", "/api/jobs?limit=50&kind=reclassify"),
            ("history, page at job 50,000", f"/api/jobs?limit=50&cursor={JOBS // 2}"),
            (f"the {BIG_JOB_FILES:,}-file job", f"/api/jobs/{big}"),
            ("its files, first 1,000", f"/api/jobs/{big}/files?limit=1000"),
            ("its files, 1,000 after 8,000", f"/api/jobs/{big}/files?limit=1000&after=7999"),
            ("its papers, first 1,000", f"/api/jobs/{big}/papers?limit=1000"),
            ("its papers, 100 from the middle", f"/api/jobs/{big}/papers?limit=100&after=5000"),
            ("its papers, all 10,000 at once", f"/api/jobs/{big}/papers"),
        ]
        lines = ["| request | p50 | p99 | req/s | errors |", "|---|---|---|---|---|"]
        for name, path in cases:
            result = wrk(base + path, connections=1, seconds=seconds)
            mark = "" if result.p99_ms <= TARGET_MS else " ✗"
            lines.append(
                f"| {name} | {result.p50_ms:.1f} ms | {result.p99_ms:.1f} ms{mark} "
                f"| {result.requests_per_s:,.0f} | {result.errors} |"
            )
            print(lines[-1], flush=True)
    return lines
