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
