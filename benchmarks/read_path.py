"""The read path against a plain FastAPI + SQLite app, measured side by side in one run.

`catalogsvc serve` holds 100 finished jobs; the reference app (benchmarks/reference_app.py)
holds catalogsvc's own answers for them, one JSON row per job. wrk (one thread, 64
connections, 8 s) loads each in turn; the ratio is catalogsvc's rate over the reference's.
Then the same requests at scale: 100,000 jobs, and one job of 10,000 files
(benchmarks/read_path_scale.py).

Run: .venv/bin/python -m benchmarks.read_path [SECONDS MIXED_SECONDS]   (default 8 45)
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import httpx

from benchmarks.read_path_load import load_lines
from benchmarks.read_path_scale import TARGET_MS, scale_lines
from benchmarks.seeded_jobs import seed_jobs
from benchmarks.served import CATALOGSVC, REFERENCE, WrkResult, catalogsvc_env, running, wrk

JOBS = 100
PAPERS_PER_JOB = 10


def fill_reference(base: str, ids: list[str], database: Path) -> None:
    """One row per job with catalogsvc's answer for it, and the history's items by seq."""
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        connection.execute("CREATE TABLE listed (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        for job_id in ids:
            body = httpx.get(f"{base}/api/jobs/{job_id}").text
            connection.execute("INSERT INTO jobs VALUES (?, ?)", (job_id, body))
        items = httpx.get(f"{base}/api/jobs", params={"limit": JOBS}).json()["items"]
        for seq, item in enumerate(reversed(items)):
            connection.execute("INSERT INTO listed VALUES (?, ?)", (seq, json.dumps(item)))


def line(name: str, ours: WrkResult, reference: WrkResult, page_kb: float) -> str:
    return (
        f"| {name} | {ours.requests_per_s:,.0f} req/s, p99 {ours.p99_ms:.0f} ms "
        f"| {reference.requests_per_s:,.0f} req/s, p99 {reference.p99_ms:.0f} ms "
        f"| **{ours.requests_per_s / reference.requests_per_s:.2f}** | {page_kb:.1f} KB "
        f"| {ours.errors + reference.errors} |"
    )


def main(seconds: int, mixed_seconds: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        print_ratios(Path(scratch), seconds)
        print(f"\nAt scale (p99 target {TARGET_MS} ms):")
        scale_lines(Path(scratch), seconds)
        print("\nUnder load:")
        load_lines(Path(scratch), mixed_seconds)


def print_ratios(scratch: Path, seconds: int) -> None:
    data_dir = scratch / "data"
    ids = seed_jobs(f"sqlite:///{data_dir}/catalogsvc.db", JOBS, PAPERS_PER_JOB)
    reference_db = scratch / "reference.db"
    with running(CATALOGSVC, catalogsvc_env(data_dir), "/healthz") as ours:
        fill_reference(ours, ids, reference_db)
        env = {"READ_PATH_DB": str(reference_db)}
        with running(REFERENCE, env, f"/jobs/{ids[0]}") as theirs:
            one = ids[JOBS // 2]
            cases = [
                ("`GET /api/jobs/{id}`", f"/api/jobs/{one}", f"/jobs/{one}"),
                ("`GET /api/jobs?limit=50`", "/api/jobs?limit=50", "/jobs?limit=50"),
            ]
            print("| request | catalogsvc | plain FastAPI + SQLite | ratio | body | errors |")
            print("|---|---|---|---|---|---|")
            for name, path, reference_path in cases:
                body_kb = len(httpx.get(ours + path).content) / 1024
                mine = wrk(ours + path, seconds=seconds)
                yardstick = wrk(theirs + reference_path, seconds=seconds)
                print(line(name, mine, yardstick, body_kb), flush=True)


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*arguments) if len(arguments) == 2 else main(8, 45)
