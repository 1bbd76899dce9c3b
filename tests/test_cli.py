"""The catalogsvc command: run a folder, Ctrl-C it, resume it, list the history."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from catalogsvc.domain import JobStatus
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.runner import SHUTDOWN_REASON
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.repository import NewFile, Store
from tests.conftest import REPO_ROOT, wait_for_file, write_papers
from tests.conftest_store import new_running_job
from tests.gated_extract import gated_pdf, release


def command_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "CATALOGSVC_DATA_DIR": str(settings.data_dir),
        "CATALOGSVC_EXTRACT_WORKERS": "1",
        "COLUMNS": "200",
    }


async def wait_for_stored_papers(database: Path, count: int, timeout: float = 60) -> None:
    """Poll the CLI process's SQLite file, with a deadline, until it holds `count` papers."""

    def stored() -> int:
        with contextlib.closing(sqlite3.connect(database, timeout=5)) as connection:
            return int(connection.execute("SELECT count(*) FROM papers").fetchone()[0])

    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(stored) < count:
        assert time.monotonic() < deadline, f"{count} papers were not stored in {timeout} s"
        await asyncio.sleep(0.01)


def summary_line(stderr: str) -> tuple[str, str]:
    """The job id and the rest of the CLI's own last word on a job, `job <id>: <status>; N/M
    files, F failed, P papers; catalogs in <dir>`; log lines, which start with their time,
    never count."""
    lines = re.findall(r"^job ([0-9a-f]{32}): (.*)$", stderr, re.MULTILINE)
    assert len(lines) == 1, f"not one summary line in:\n{stderr}"
    job_id, said = lines[0]
    return job_id, said


def run_command(
    settings: Settings, *args: str, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.cli_gated", *args],
        cwd=REPO_ROOT,
        env={**command_env(settings), "COLUMNS": str(columns)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_run_writes_every_catalog_and_the_job_is_in_the_history(
    settings: Settings, papers_dir: Path, tmp_path: Path
) -> None:
    write_papers(papers_dir, 2)
    out = tmp_path / "out"

    result = run_command(settings, "run", str(papers_dir), "--out", str(out))

    assert result.returncode == 0, result.stderr
    job_id, said = summary_line(result.stderr)
    assert said == f"completed; 2/2 files, 0 failed, 2 papers; catalogs in {out}"
    suffixes = sorted("".join(p.suffixes) for p in out.iterdir())
    assert suffixes == [".bib", ".csl.json", ".csv", ".html", ".json", ".md", ".ris"]
    history = run_command(settings, "jobs")
    assert history.returncode == 0
    (row,) = [line for line in history.stdout.splitlines() if job_id[:12] in line]
    assert "completed" in row


async def test_ctrl_c_cancels_keeps_partial_results_and_says_how_to_resume(
    settings: Settings, papers_dir: Path, tmp_path: Path
) -> None:
    write_papers(papers_dir, 1, prefix="a")
    gated = gated_pdf(papers_dir, "z-gated.pdf")
    out = tmp_path / "out"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.cli_gated",
        "run",
        str(papers_dir),
        "--out",
        str(out),
        "--format",
        "json",
        cwd=REPO_ROOT,
        env=command_env(settings),
        stderr=asyncio.subprocess.PIPE,
    )
    await wait_for_file(Path(f"{gated}.started"), timeout=60)
    # The worker takes the gated file as soon as a0 is read, a moment before a0 is stored.
    await wait_for_stored_papers(settings.data_dir / "catalogsvc.db", 1)

    process.send_signal(signal.SIGINT)
    _, stderr_bytes = await asyncio.wait_for(process.communicate(), timeout=60)
    stderr = stderr_bytes.decode()

    assert process.returncode == 130, stderr
    job_id, said = summary_line(stderr)
    assert said == f"cancelled; 1/2 files, 0 failed, 1 papers; catalogs in {out}"
    assert f"resume it with: catalogsvc resume {job_id}" in stderr
    (catalog_file,) = out.iterdir()
    catalog = json.loads(catalog_file.read_text())
    assert catalog["partial"] is True
    assert sum(len(group["papers"]) for group in catalog["categories"]) == 1

    release(gated)
    # By a prefix of the id, and without --out: the catalogs go where the run wrote them.
    resumed = await asyncio.to_thread(run_command, settings, "resume", job_id[:8])
    assert resumed.returncode == 0, resumed.stderr
    child_id, said = summary_line(resumed.stderr)
    assert child_id != job_id
    assert said == f"completed; 2/2 files, 0 failed, 2 papers; catalogs in {out}"
    (whole_file,) = [f for f in out.iterdir() if child_id in f.name and f.suffixes == [".json"]]
    whole = json.loads(whole_file.read_text())
    assert whole["partial"] is False
    assert sum(len(group["papers"]) for group in whole["categories"]) == 2


def test_eval_of_a_folder_without_truth_says_what_it_needs(
    settings: Settings, tmp_path: Path
) -> None:
    result = run_command(settings, "eval", str(tmp_path))
    assert result.returncode == 2
    assert "truth.jsonl not found" in result.stderr
    assert "Traceback" not in result.stderr


async def test_a_run_cancelled_through_a_server_on_the_same_data_ends_like_a_ctrl_c(
    settings: Settings, papers_dir: Path, tmp_path: Path
) -> None:
    """A cancel written by another process sends the CLI no event: it still sees its job end,
    writes the partial catalogs and exits 130 (it waited forever before)."""
    write_papers(papers_dir, 1, prefix="a")
    gated = gated_pdf(papers_dir, "z-gated.pdf")
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "tests.cli_gated", "run", str(papers_dir)],
        *["--out", str(tmp_path / "out"), "--format", "json"],
        cwd=REPO_ROOT,
        env=command_env(settings),
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await wait_for_file(Path(f"{gated}.started"), timeout=60)
        database = settings.data_dir / "catalogsvc.db"
        with contextlib.closing(sqlite3.connect(database, timeout=5)) as connection:
            (job_id,) = connection.execute("SELECT id FROM jobs").fetchone()
        store = Store(await asyncio.to_thread(create_store_engine, f"sqlite:///{database}"))
        assert await JobTransitions(store, EventBus()).cancel(job_id)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        release(gated)
        if process.returncode is None:
            process.kill()
    assert process.returncode == 130, stderr.decode()
    said_id, said = summary_line(stderr.decode())
    assert (said_id, said.split(";")[0]) == (job_id, "cancelled")
    assert list((tmp_path / "out").iterdir())


def test_the_history_keeps_ids_and_statuses_whole_on_an_80_column_terminal(
    settings: Settings,
) -> None:
    """A long name and error give way on a narrow terminal; the id a resume needs stays
    whole."""
    engine = create_store_engine(settings.resolved_database_url)
    upgrade_schema(engine)
    store = Store(engine)
    job_id = new_running_job(
        store, "4f2a9c1be07d4e55a3c8d6f1b2e9a0c7", files=[NewFile("a.pdf", "/papers/a.pdf")]
    )
    interrupted = {"status": "interrupted", "error": SHUTDOWN_REASON}
    store.transition(job_id, (JobStatus.running,), interrupted | {"name": "a" * 30})
    engine.dispose()

    history = run_command(settings, "jobs", columns=80)

    assert history.returncode == 0, history.stderr
    header, _, row = [line for line in history.stdout.splitlines() if line.strip()][:3]
    # The name gives way, then the error goes: not the id, the status or the counts.
    assert header.split() == ["id", "name", "status", "created", "files", "papers"]
    cells = row.split()
    assert [cells[0], cells[2], *cells[-2:]] == [job_id[:12], "interrupted", "0/1", "0"]
    assert cells[1].startswith("aaaa") and cells[1].endswith("…")
    assert max(len(line) for line in history.stdout.splitlines()) <= 80


def test_log_lines_in_a_file_are_whole_lines(
    settings: Settings, papers_dir: Path, tmp_path: Path
) -> None:
    """Written to a pipe or a file, a log record is one line that names its job and what
    became of it, however long (Rich broke them at 80 columns)."""
    write_papers(papers_dir, 1)

    result = run_command(settings, "run", str(papers_dir), "--out", str(tmp_path), columns=80)

    assert result.returncode == 0, result.stderr
    job_id, _ = summary_line(result.stderr)
    (ended,) = [line for line in result.stderr.splitlines() if "-> completed" in line]
    assert re.search(rf" INFO catalogsvc\.jobs: job {job_id} -> completed .*, 1 papers$", ended)
