"""Listeners on one job's event stream, for benchmarks.read_path: a job of 1,000 one-page
files (about 2,000 events a second, the fastest a job sends them) extracts with no listener,
then with 100, in alternating rounds; each listener must see every file (those that ended
before it subscribed in its first, `job` event, the rest as `file` events) and the end, and
extraction may slow by 10 % at most.

The listeners are wrk's connections (one C thread; a Lua script counts each stream's events),
so the load generator costs the 2-core machine little of what it measures.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

import httpx

LISTENERS, ROUNDS = 100, 5
# One line per stream that saw the job's files: files done at subscribing, `file` events that
# ended a file, and whether the terminal status came. A stream of the ended job (wrk asks
# again on a connection whose stream ended) sends only its `job` event, and is not counted.
LISTENER_SCRIPT = """
local path = os.getenv("EVENTS_PATH")
request = function() return wrk.format("GET", path) end
response = function(status, headers, body)
  local files, started = 0, 0
  for _ in body:gmatch('"kind":"file"') do files = files + 1 end
  for _ in body:gmatch('"state":"started"') do started = started + 1 end
  local ended = body:find("event: status", 1, true) ~= nil
  if files == 0 and not ended then return end
  local at = body:match('"files_done":(%d+)')
  io.write(string.format("%s %d %s\\n", at, files - started, ended and "ended" or "open"))
  io.flush()
end
"""


def _extracting_time(http: httpx.Client, job_id: str) -> tuple[float, int]:
    """Wait for the job to end; its extracting seconds and files."""
    while (job := http.get(f"/api/jobs/{job_id}").json())["status"] in ("queued", "running"):
        time.sleep(0.2)
    return job["timings"]["extracting"], job["progress"]["files_total"]


def _listened(base: str, folder: Path, listeners: int, script: Path) -> tuple[float, list[str]]:
    """The job's extracting time with `listeners` on its stream, and what they missed."""
    with httpx.Client(base_url=base, timeout=120) as http:
        job_id = http.post("/api/jobs/folder", json={"path": str(folder)}).json()["id"]
        if not listeners:
            return _extracting_time(http, job_id)[0], []
        argv = ["wrk", "-t1", f"-c{listeners}", "-d600s", "--timeout", "600s", "-s", str(script)]
        env = {**os.environ, "EVENTS_PATH": f"/api/jobs/{job_id}/events"}
        with subprocess.Popen([*argv, base], env=env, stdout=subprocess.PIPE, text=True) as streams:
            assert streams.stdout is not None
            extracting, total = _extracting_time(http, job_id)
            # Every stream ended with the job; one that has not printed by then never will.
            threading.Timer(30, streams.send_signal, [signal.SIGINT]).start()
            heard: list[list[str]] = []
            while len(heard) < listeners and (got := streams.stdout.readline()):
                if got[0].isdigit():
                    heard.append(got.split())
            streams.send_signal(signal.SIGINT)  # wrk's Ctrl-C: stop now
            streams.communicate()
    # A file that ended between subscribing and the first event is in both: at + seen >= total.
    wrong = [f"{at} + {seen} of {total}" for at, seen, end in heard if int(at) + int(seen) < total]
    wrong += [f"{at} + {seen}, no end" for at, seen, end in heard if end != "ended"]
    return extracting, wrong


def listener_line(base: str, folder: Path, scratch: Path) -> str:
    """Extraction alone and with LISTENERS listeners, the medians of ROUNDS rounds each."""
    script = scratch / "listeners.lua"
    script.write_text(LISTENER_SCRIPT)
    alone: list[float] = []
    crowded: list[float] = []
    wrong: list[str] = []
    for _ in range(ROUNDS):
        alone.append(_listened(base, folder, 0, script)[0])
        seconds, missed = _listened(base, folder, LISTENERS, script)
        crowded.append(seconds)
        wrong += missed
    slower = statistics.median(crowded) / statistics.median(alone) - 1
    return (
        f"{LISTENERS} listeners on one job of {len(list(folder.iterdir())):,} files: extracting "
        f"{statistics.median(crowded):.2f} s against {statistics.median(alone):.2f} s alone "
        f"(medians of {ROUNDS}; {slower:+.0%}); "
        + (
            f"{len(wrong)} streams missed events: {wrong[:3]}"
            if wrong
            else "every listener saw every file and the end"
        )
    )
