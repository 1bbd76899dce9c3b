"""How many files a busy worker holds in its pipe: deep for fast files, shallow for slow."""

from __future__ import annotations

from catalogsvc.extraction.pipe_pace import MAX_PIPELINED, MIN_PIPELINED, PipePace


def test_a_worker_not_yet_timed_holds_the_file_it_reads_and_the_next() -> None:
    assert PipePace().depth == MIN_PIPELINED == 2


def test_a_worker_reading_a_file_a_millisecond_holds_the_most_files() -> None:
    pace = PipePace()
    for _ in range(5):
        pace.took(0.001)
    assert pace.depth == MAX_PIPELINED


def test_a_worker_reading_slow_files_holds_only_the_next() -> None:
    pace = PipePace()
    for _ in range(5):
        pace.took(0.4)
    assert pace.depth == MIN_PIPELINED


def test_the_depth_follows_the_files_of_late() -> None:
    """Slow files after fast ones make the pipe shallow within a few files; files of middling
    speed after them, middling."""
    pace = PipePace()
    for _ in range(20):
        pace.took(0.001)
    for _ in range(6):
        pace.took(0.3)
    assert pace.depth == MIN_PIPELINED
    for _ in range(20):
        pace.took(0.01)
    assert MIN_PIPELINED < pace.depth < MAX_PIPELINED


def fast_pace() -> PipePace:
    pace = PipePace()
    for _ in range(5):
        pace.took(0.001)
    return pace


def test_a_fast_worker_fills_its_pipe_from_a_long_queue() -> None:
    assert fast_pace().files_to_add(1, queued=100, other_workers=1) == MAX_PIPELINED - 1


def test_near_the_end_of_the_queue_a_fast_worker_takes_only_the_next_file() -> None:
    """What waits may be slow files: they go to whichever worker frees first, not into one
    pipe while another worker runs dry."""
    assert fast_pace().files_to_add(1, queued=10, other_workers=1) == 1
    assert fast_pace().files_to_add(2, queued=10, other_workers=1) == 0


def test_a_lone_worker_takes_what_waits_up_to_its_depth() -> None:
    assert fast_pace().files_to_add(1, queued=10, other_workers=0) == 10
