"""A folder job of many one-page PDFs on `catalogsvc serve` with two extraction processes:
the job's phases, every catalog rendered from its papers, and the memory of the service's
processes together (at rest, at the peak, after), sampled from /proc through the job.

Run: .venv/bin/python -m benchmarks.big_job [FILES]   (default 10000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx
import pymupdf

from benchmarks.process_memory import PeakSampler, rss_mb, tree_rss_mb
from benchmarks.served import CATALOGSVC, catalogsvc_env, running, server_pid

FORMATS = ["markdown", "html", "json", "bibtex", "csv", "csl-json", "ris"]
FIELDS = ["Physics", "Biology", "Economics", "Linguistics", "Mathematics", "Chemistry"]


def write_pdfs(folder: Path, count: int) -> None:
    for n in range(count):
        document = pymupdf.open()
        page = document.new_page(width=612, height=792)
        field = FIELDS[n % len(FIELDS)]
        page.insert_text((72, 90), f"Observations on Problem {n} in {field}", fontsize=18)
        page.insert_text((72, 120), f"Ada Lovelace{n % 97} and Charles Babbage", fontsize=11)
        page.insert_text((72, 160), "Abstract", fontsize=12)
        page.insert_text((72, 180), f"We study problem {n} of {field.lower()} and solve it.")
        document.save(folder / f"paper-{n:05d}.pdf")
        document.close()


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        papers = Path(scratch) / "papers"
        papers.mkdir()
        warm_up = Path(scratch) / "warm-up"
        warm_up.mkdir()
        write_pdfs(warm_up, 1)
        started = time.perf_counter()
        write_pdfs(papers, count)
        print(f"{count} one-page PDFs written in {time.perf_counter() - started:.0f} s")
        env = catalogsvc_env(
            Path(scratch) / "data", extract_workers="2", allowed_roots=f"{papers}:{warm_up}"
        )
        with running(CATALOGSVC, env, "/healthz") as base:
            pid = server_pid(base)
            http = httpx.Client(base_url=base, timeout=600)
            http.get("/api/jobs")  # the first request warms what every later one uses
            time.sleep(2)  # the extraction processes settle after their start-up
            fresh_tree, fresh_server = tree_rss_mb(pid), rss_mb(pid)
            # At rest is after one small job: the classifier's models load at first use.
            small = http.post("/api/jobs/folder", json={"path": str(warm_up)}).json()
            while http.get(f"/api/jobs/{small['id']}").json()["status"] in ("queued", "running"):
                time.sleep(0.2)
            time.sleep(1)
            rest_tree, rest_server = tree_rss_mb(pid), rss_mb(pid)
            with PeakSampler(pid) as sampler:
                began = time.perf_counter()
                job = http.post("/api/jobs/folder", json={"path": str(papers)}).json()
                while (answer := http.get(f"/api/jobs/{job['id']}").json())["status"] in (
                    "queued",
                    "running",
                ):
                    time.sleep(1)
                job_s = time.perf_counter() - began
                job_peak = sampler.peak_mb
                time.sleep(1)
                after_job_server = rss_mb(pid)
                rendering = {}
                for fmt in FORMATS:
                    began = time.perf_counter()
                    http.get(f"/api/jobs/{job['id']}/catalog", params={"format": fmt})
                    rendering[fmt] = time.perf_counter() - began
            time.sleep(1)
            after_server = rss_mb(pid)
            # A second job of the same size: is what the first left behind a high-water mark
            # that later jobs reuse, or does it grow with every job?
            again = http.post("/api/jobs/folder", json={"path": str(papers)}).json()
            while http.get(f"/api/jobs/{again['id']}").json()["status"] in ("queued", "running"):
                time.sleep(1)
            time.sleep(1)
            after_again = rss_mb(pid)
        timings = answer["timings"]
        print(
            f"job {answer['status']}: {answer['progress']} in {job_s:.1f} s; "
            + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in timings.items())
        )
        every = sum(rendering.values())
        print(
            "catalogs rendered: "
            + ", ".join(f"{fmt} {seconds:.2f} s" for fmt, seconds in rendering.items())
            + f"; all seven {every:.1f} s = {every / job_s:.0%} of the job, "
            f"the slowest {max(rendering.values()) / job_s:.1%}"
        )
        print(
            f"memory, all processes: just started {fresh_tree:.0f} MB (server {fresh_server:.0f});"
            f" at rest after a one-file job {rest_tree:.0f} MB, peak in the job "
            f"{job_peak:.0f} MB, peak with the catalogs {sampler.peak_mb:.0f} MB"
        )
        print(
            f"memory, server process: at rest {rest_server:.0f} MB, after the job "
            f"{after_job_server:.0f} MB ({after_job_server / rest_server - 1:+.0%}), after its "
            f"catalogs {after_server:.0f} MB ({after_server / rest_server - 1:+.0%}), after a "
            f"second job of {count:,} files {after_again:.0f} MB "
            f"({after_again / rest_server - 1:+.0%})"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
