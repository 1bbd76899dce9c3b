"""The read path under load, for benchmarks.read_path.

Mixed: while 20 clients submit three-file jobs one after another and 10 follow the newest
job's event stream, wrk's 100 connections each read a job (GET /api/jobs/{id}) four times a
second, as scripts and dashboards poll; the service extracts with one process.
Then 100 listeners on one job's stream (benchmarks/read_path_listeners.py).
The load comes from raw sockets and wrk, so the client costs the 2-core machine little.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx

from benchmarks.big_job import write_pdfs
from benchmarks.read_path_listeners import listener_line
from benchmarks.seeded_jobs import seed_jobs
from benchmarks.served import CATALOGSVC, catalogsvc_env, running, wrk

READERS, POLL_MS, SUBMITTERS, STREAMS, LISTENED_FILES = 100, 250, 20, 10, 1000
READER_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
delay = function() return %d end
"""


async def _stream_counts(host: str, port: int, job_id: str) -> tuple[int, int, bool]:
    """Read a job's event stream to its end: files done in the first event, `file` events,
    and whether a terminal `status` came."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /api/jobs/{job_id}/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    received = bytearray()
    while chunk := await reader.read(1 << 20):
        received += chunk  # a bytearray grows in place: no copy of what came before
        if received.endswith(b"\r\n0\r\n\r\n"):  # the chunked body's end
            break
    writer.close()
    first = bytes(received).split(b"event: job", 1)[1].split(b"data: ", 1)[1].split(b"\r\n", 1)[0]
    done_at_start = json.loads(first)["progress"]["files_done"]
    ended = b"event: status" in received
    ended_files = received.count(b'"kind":"file"') - received.count(b'"state":"started"')
    return done_at_start, ended_files, ended


async def _submitter(http: httpx.AsyncClient, folder: Path, until: float, jobs: list[str]) -> int:
    errors = 0
    while time.monotonic() < until:
        answer = await http.post("/api/jobs/folder", json={"path": str(folder)})
        if answer.status_code != 202:
            errors += 1
            continue
        jobs.append(answer.json()["id"])
        while (await http.get(f"/api/jobs/{jobs[-1]}")).json()["status"] in ("queued", "running"):
            await asyncio.sleep(0.5)
    return errors


async def _follower(host: str, port: int, until: float, jobs: list[str]) -> int:
    """Follow the newest job's stream to its end, then the next new one's."""
    followed: set[str] = set()
    while time.monotonic() < until:
        if jobs and jobs[-1] not in followed:
            followed.add(jobs[-1])
            await _stream_counts(host, port, jobs[-1])
        else:
            await asyncio.sleep(0.1)
    return len(followed)


async def _mixed(base: str, folder: Path, seconds: int, script: Path) -> list[str]:
    host, port = base.removeprefix("http://").split(":")
    until = time.monotonic() + seconds
    jobs: list[str] = []
    readers = asyncio.create_task(
        asyncio.to_thread(wrk, base + "/", connections=READERS, seconds=seconds, script=script)
    )
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        submitted = [_submitter(http, folder, until, jobs) for _ in range(SUBMITTERS)]
        followed = [_follower(host, int(port), until, jobs) for _ in range(STREAMS)]
        results = await asyncio.gather(*submitted, *followed)
        read = await readers
        ended = [(await http.get(f"/api/jobs/{job}")).json() for job in jobs]
    files = sum(job["progress"]["files_done"] for job in ended)
    return [
        f"mixed load, {seconds} s: `GET /api/jobs/{{id}}` p50 {read.p50_ms:.1f} ms, "
        f"p99 {read.p99_ms:.1f} ms at {read.requests_per_s:,.0f} req/s, {read.errors} errors; "
        f"{len(jobs)} jobs submitted ({sum(results[:SUBMITTERS])} refused), {files} files "
        f"extracted, {sum(results[SUBMITTERS:])} event streams followed to their end"
    ]


def load_lines(scratch: Path, seconds: int) -> list[str]:
    small, many = scratch / "small", scratch / "many"
    small.mkdir()
    many.mkdir()
    write_pdfs(small, 3)
    write_pdfs(many, LISTENED_FILES)
    data_dir = scratch / "data-load"
    ids = seed_jobs(f"sqlite:///{data_dir}/catalogsvc.db", 100, 10)
    paths = ",".join(f'"/api/jobs/{job_id}"' for job_id in ids[-20:])
    script = scratch / "readers.lua"
    script.write_text(READER_SCRIPT % (paths, POLL_MS))
    env = catalogsvc_env(
        data_dir, extract_workers="1", allowed_roots=f"{small}:{many}", max_concurrent_jobs="4"
    )
    with running(CATALOGSVC, env, "/healthz") as base:
        lines = asyncio.run(_mixed(base, small, seconds, script))
        print(lines[-1], flush=True)
        lines.append(listener_line(base, many, scratch))
    print(lines[-1], flush=True)
    return lines
