"""The extraction pool: results, crashes, timeouts and cancellation only cost one worker."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import uvloop

from catalogsvc.domain import ExtractedPaper
from catalogsvc.errors import ExtractionFailed, InvalidPDF
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.extraction.pool import ExtractFn, ExtractionPool
from tests.conftest import (
    extraction_worker_pids,
    wait_for_file,
    wait_until,
    wait_until_exited,
    write_papers,
)
from tests.gated_extract import extract_gated, extraction_count, gated_pdf, release
from tests.memory_hungry_read import RESERVED_MB, reserve_memory
from tests.pdf_factory import make_not_a_pdf, make_paper_pdf

LARGE_ANSWER_BYTES = 8 * 1024 * 1024


def read_large_answer(path: str) -> bytes:
    """An answer many times the size of a pipe's buffer, like a page rendered as a PNG."""
    return bytes(LARGE_ANSWER_BYTES)


@asynccontextmanager
async def started_pool(
    extract: ExtractFn, *, size: int, timeout_s: float, memory_limit_mb: int | None = None
) -> AsyncIterator[ExtractionPool]:
    started = ExtractionPool(
        extract, size=size, timeout_s=timeout_s, memory_limit_mb=memory_limit_mb
    )
    await started.start()
    try:
        yield started
    finally:
        await started.close()


@pytest.fixture
async def pool() -> AsyncIterator[ExtractionPool]:
    async with started_pool(extract_gated, size=2, timeout_s=2) as started:
        yield started


async def test_extracts_papers_in_parallel_workers(pool: ExtractionPool, tmp_path: Path) -> None:
    papers = write_papers(tmp_path, 4)
    results = await asyncio.gather(*(pool.extract(str(p)) for p in papers))
    assert [r.pages for r in results] == [1, 1, 1, 1]
    assert len({r.sha256 for r in results}) == 4


async def test_invalid_pdf_is_reported_with_its_message(
    pool: ExtractionPool, tmp_path: Path
) -> None:
    with pytest.raises(InvalidPDF) as caught:
        await pool.extract(str(await asyncio.to_thread(make_not_a_pdf, tmp_path / "notes.pdf")))
    assert caught.value.detail


async def test_a_crashing_file_fails_alone_and_the_pool_recovers(
    pool: ExtractionPool, tmp_path: Path
) -> None:
    crash = make_paper_pdf(tmp_path / "crash.pdf", title="Boom", authors=["A B"])
    with pytest.raises(ExtractionFailed, match="crashed"):
        await pool.extract(str(crash))
    (good,) = write_papers(tmp_path, 1)
    results = await asyncio.gather(*(pool.extract(str(good)) for _ in range(3)))
    assert all(r.pages == 1 for r in results)


async def test_a_hanging_file_times_out_and_its_worker_is_replaced(
    pool: ExtractionPool, tmp_path: Path
) -> None:
    hanging = make_paper_pdf(tmp_path / "gated.pdf", title="Never Ends", authors=["A B"])
    with pytest.raises(ExtractionFailed, match="longer than 2 s"):
        await pool.extract(str(hanging))
    (good,) = write_papers(tmp_path, 1)
    assert (await pool.extract(str(good))).pages == 1


async def test_cancelling_an_extraction_kills_its_worker_at_once(
    pool: ExtractionPool, tmp_path: Path
) -> None:
    slow = make_paper_pdf(tmp_path / "gated.pdf", title="Slow", authors=["A B"])
    task = asyncio.create_task(pool.extract(str(slow)))
    await wait_for_file(Path(f"{slow}.started"))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (good,) = write_papers(tmp_path, 1)
    results = await asyncio.gather(*(pool.extract(str(good)) for _ in range(2)))
    assert all(r.pages == 1 for r in results)


async def test_a_worker_that_died_while_idle_is_replaced_before_its_next_file(
    tmp_path: Path,
) -> None:
    """Killed between jobs (by the OOM killer, say), a worker reads nothing: the file sent to
    it next would fail for nothing."""
    async with started_pool(extract_paper, size=1, timeout_s=30) as single:
        first, second = write_papers(tmp_path, 2)
        assert (await single.extract(str(first))).pages == 1
        (pid,) = extraction_worker_pids()
        os.kill(pid, signal.SIGKILL)
        await wait_until_exited(pid)

        assert (await single.extract(str(second))).pages == 1


async def test_a_process_that_ends_without_closing_its_pool_still_exits(tmp_path: Path) -> None:
    """An error on the way out skips close(): multiprocessing then joins workers that ignore
    SIGTERM, and the process waited for ever."""
    (paper,) = write_papers(tmp_path, 1)
    script = (
        "import asyncio\n"
        "from catalogsvc.extraction.extract import extract_paper\n"
        "from catalogsvc.extraction.pool import ExtractionPool\n"
        "async def main():\n"
        "    pool = ExtractionPool(extract_paper, size=1, timeout_s=30)\n"
        "    await pool.start()\n"
        f"    print((await pool.extract({str(paper)!r})).pages)\n"
        "asyncio.run(main())\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert (process.returncode, out.strip()) == (0, b"1")


@pytest.mark.parametrize("limit_mb", [None, 1024])
async def test_a_file_needing_more_memory_than_the_limit_fails_alone(
    tmp_path: Path, limit_mb: int | None
) -> None:
    async with started_pool(
        extract_paper, size=1, timeout_s=30, memory_limit_mb=limit_mb
    ) as limited:
        if limit_mb is None:
            assert await limited.run(reserve_memory, str(tmp_path)) == RESERVED_MB
        else:
            with pytest.raises(ExtractionFailed) as caught:
                await limited.run(reserve_memory, str(tmp_path))
            assert "more than 1024 MB (CATALOGSVC_WORKER_MEMORY_MB)" in str(caught.value.detail)
        (paper,) = write_papers(tmp_path, 1)
        assert (await limited.extract(str(paper))).pages == 1


async def test_a_file_is_reported_started_only_when_a_worker_takes_it(tmp_path: Path) -> None:
    async with started_pool(extract_gated, size=1, timeout_s=30) as single:
        held = gated_pdf(tmp_path)
        (waiting,) = write_papers(tmp_path, 1)
        started: list[str] = []
        first = asyncio.create_task(
            single.extract(str(held), on_start=lambda: started.append(held.name))
        )
        await wait_for_file(Path(f"{held}.started"))
        second = asyncio.create_task(
            single.extract(str(waiting), on_start=lambda: started.append(waiting.name))
        )
        await asyncio.sleep(0)  # one turn of the loop: the second call now waits for the worker

        assert started == [held.name]
        release(held)
        await asyncio.gather(first, second)
        assert started == [held.name, waiting.name]


async def test_an_answer_larger_than_the_pipe_buffer_arrives_whole_on_uvloop(
    tmp_path: Path,
) -> None:
    """uvloop leaves a descriptor it watched non-blocking; a pool that reads its workers' pipes
    on the loop then fails a large answer half-read with BlockingIOError (issue 10)."""
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
    async with started_pool(extract_paper, size=2, timeout_s=60) as pool:
        answers = await asyncio.gather(
            *(pool.run(read_large_answer, str(tmp_path)) for _ in range(4))
        )
    assert [len(answer) for answer in answers] == [LARGE_ANSWER_BYTES] * 4


async def queued_to_a_busy_worker(
    pool: ExtractionPool, held: Path, *paths: Path
) -> list[asyncio.Task[ExtractedPaper]]:
    """Start `held` (gated) and queue `paths` behind it, then release it: the worker begins
    the first of `paths` and has the next in its pipe already."""
    first = asyncio.create_task(pool.extract(str(held)))
    await wait_for_file(Path(f"{held}.started"))
    queued = [asyncio.create_task(pool.extract(str(path))) for path in paths]
    await wait_until(lambda: pool.queued == len(paths))
    release(held)
    await wait_until(lambda: pool.queued == 0)
    assert (await first).title == "A Paper That Takes Its Time"
    return queued


async def test_a_file_waiting_behind_a_hanging_one_is_read_by_its_replacement(
    tmp_path: Path,
) -> None:
    """A busy worker has its next file in its pipe already; when the file it reads times out,
    that next file is not lost with the worker but read by the one that replaces it."""
    async with started_pool(extract_gated, size=1, timeout_s=2) as single:
        hanging = gated_pdf(tmp_path, "gated-never-released.pdf")
        (waiting,) = write_papers(tmp_path, 1)
        timed_out, read = await queued_to_a_busy_worker(
            single, gated_pdf(tmp_path), hanging, waiting
        )
        with pytest.raises(ExtractionFailed, match="longer than 2 s"):
            await timed_out
        assert (await asyncio.wait_for(read, 30)).pages == 1
    assert await asyncio.to_thread(extraction_count, tmp_path, waiting.name) == 1


async def test_cancelling_a_file_that_waits_in_a_pipe_spares_the_file_being_read(
    tmp_path: Path,
) -> None:
    async with started_pool(extract_gated, size=1, timeout_s=30) as single:
        reading = gated_pdf(tmp_path, "gated-second.pdf")
        (waiting, after) = write_papers(tmp_path, 2)
        being_read, cancelled = await queued_to_a_busy_worker(
            single, gated_pdf(tmp_path), reading, waiting
        )
        await wait_for_file(Path(f"{reading}.started"))
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        release(reading)
        assert (await being_read).title == "A Paper That Takes Its Time"
        assert (await single.extract(str(after))).pages == 1


async def test_closing_the_pool_stops_a_worker_still_reading(tmp_path: Path) -> None:
    """A shutdown waits CLOSE_GRACE_S for a file being read, then kills its worker: a file
    that never ends never holds the service up."""
    single = ExtractionPool(extract_gated, size=1, timeout_s=60)
    await single.start()
    held = gated_pdf(tmp_path)
    (waiting,) = write_papers(tmp_path, 1)
    reading = asyncio.create_task(single.extract(str(held)))
    await wait_for_file(Path(f"{held}.started"))
    behind = asyncio.create_task(single.extract(str(waiting)))
    await wait_until(lambda: single.queued == 1)
    await asyncio.wait_for(single.close(), timeout=30)
    with pytest.raises(ExtractionFailed, match="crashed"):
        await reading
    with pytest.raises(ExtractionFailed, match="the service stopped first"):
        await behind
