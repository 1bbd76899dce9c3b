"""The Server-Sent Events stream of a job, read over a real socket."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from catalogsvc.jobs.events import JobEvent
from tests.conftest import write_papers
from tests.gated_extract import gated_pdf, release
from tests.pdf_factory import make_not_a_pdf
from tests.server_process import ServerProcess

EVENT: TypeAdapter[JobEvent] = TypeAdapter(JobEvent)


def read_events(lines: Any) -> Any:
    """Yield (event, data) pairs from an SSE line iterator."""
    kind, data = "message", ""
    for line in lines:
        if line.startswith("event:"):
            kind = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data += line.removeprefix("data:").strip()
        elif not line and data:
            yield kind, json.loads(data)
            kind, data = "message", ""


def test_events_stream_progress_files_phases_and_end_after_the_terminal_status(
    server: ServerProcess, papers_dir: Path
) -> None:
    write_papers(papers_dir, 2, prefix="a")
    gated = gated_pdf(papers_dir, "z-gated.pdf")
    job_id = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)}).json()["id"]

    seen: list[tuple[str, dict[str, Any]]] = []
    with server.http.stream("GET", f"/api/jobs/{job_id}/events", timeout=60) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for kind, data in read_events(response.iter_lines()):
            seen.append((kind, data))
            if kind == "job":
                assert data["id"] == job_id  # the first event is the whole job
                release(gated)

    kinds = [kind for kind, _ in seen]
    assert kinds[0] == "job" and kinds[-1] == "status"
    assert "job" not in kinds[1:]
    for kind, data in seen[1:]:  # one documented model per kind, and nothing else
        assert EVENT.validate_python(data).kind == kind
    assert seen[-1][1]["status"] == "completed"
    assert {"file", "progress", "phase"} <= set(kinds)
    phases = [data["phase"] for kind, data in seen if kind == "phase"]
    assert seen[0][1]["phase"] in {"queued", "extracting"}  # the job holds its gated file
    assert phases[-1] == "classifying"
    done_files = {
        data["file_name"] for kind, data in seen if kind == "file" and data["state"] == "done"
    }
    assert "z-gated.pdf" in done_files


def test_events_of_a_finished_job_are_its_final_state_only(
    server: ServerProcess, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    job_id = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)}).json()["id"]
    with server.http.stream("GET", f"/api/jobs/{job_id}/events", timeout=60) as response:
        live = list(read_events(response.iter_lines()))  # ends with the terminal status
    assert live[-1][1]["status"] == "completed"
    with server.http.stream("GET", f"/api/jobs/{job_id}/events", timeout=60) as response:
        events = list(read_events(response.iter_lines()))
    assert [kind for kind, _ in events] == ["job"]
    assert events[0][1]["status"] == "completed"


def test_progress_events_count_every_outcome_and_end_at_the_stored_counts(
    server: ServerProcess, papers_dir: Path
) -> None:
    gated = gated_pdf(papers_dir, "0-gated.pdf")  # first in line: nothing ends before release
    first, _second = write_papers(papers_dir, 2, prefix="a")
    shutil.copy(first, papers_dir / "b-copy.pdf")  # the same content: skipped
    make_not_a_pdf(papers_dir / "c-notes.pdf")  # fails
    job_id = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)}).json()["id"]

    counts: list[dict[str, int]] = []
    ended_before: list[int] = []  # files heard ended before each progress event
    ended = 0
    with server.http.stream("GET", f"/api/jobs/{job_id}/events", timeout=60) as response:
        for kind, data in read_events(response.iter_lines()):
            if kind == "job":
                release(gated)
            elif kind == "file" and data["state"] != "started":
                ended += 1
            elif kind == "progress" and data["classified"] == 0:
                counts.append(data)
                ended_before.append(ended)

    # One progress event per write of the store (several files may end in one), each
    # counting every file heard ended before it.
    assert [c["files_done"] for c in counts] == ended_before
    assert ended_before == sorted(set(ended_before)) and ended_before[-1] == 5
    final = {"files_total": 5, "files_done": 5, "files_failed": 1, "papers": 3}
    assert {key: counts[-1][key] for key in final} == final
    assert server.http.get(f"/api/jobs/{job_id}").json()["progress"] == final
