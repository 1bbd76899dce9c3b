"""How many files a busy extraction worker holds in its pipe. Enough for PIPE_AHEAD_S of work
at its recent pace: its pool thread hands files over only when the server lets it run, and a
server busy with other work (a hundred event streams starting, say) left a fast worker idle
between files. No more than that: the files in a pipe wait behind a slow one even when
another worker is free."""

from __future__ import annotations

PIPE_AHEAD_S = 0.05
MIN_PIPELINED, MAX_PIPELINED = 2, 16  # the file being read and at least the next
SMOOTHING = 0.3  # the weight of the newest file's time in the pace


class PipePace:
    """One worker's recent seconds per file, and the pipe depth they call for."""

    def __init__(self) -> None:
        self.seconds_per_file: float | None = None

    def took(self, seconds: float) -> None:
        last = self.seconds_per_file
        self.seconds_per_file = seconds if last is None else last + SMOOTHING * (seconds - last)

    def files_to_add(self, in_pipe: int, *, queued: int, other_workers: int) -> int:
        """How many of the `queued` files to add to a pipe holding `in_pipe`: up to the depth,
        but beyond the next file only what leaves each other worker a pipe's worth queued.
        Near the end of the queue files go one ahead, to whichever worker frees first, not
        into one pipe behind a file that may turn out slow (a run of big PDFs after small
        ones piled up behind one worker while the other sat idle)."""
        spare = queued - other_workers * self.depth
        target = max(MIN_PIPELINED, min(self.depth, in_pipe + spare))
        return max(target - in_pipe, 0)

    @property
    def depth(self) -> int:
        """Files to keep in the pipe, the one being read included."""
        if self.seconds_per_file is None:
            return MIN_PIPELINED
        ahead = int(PIPE_AHEAD_S / max(self.seconds_per_file, 1e-6))
        return max(MIN_PIPELINED, min(MAX_PIPELINED, 1 + ahead))
