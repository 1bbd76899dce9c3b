"""Plain records the Store takes and gives: a job's progress, a file to add to a job."""

from __future__ import annotations

from dataclasses import dataclass, replace

from catalogsvc.domain import FileState, Paper


@dataclass(frozen=True, slots=True)
class Progress:
    files_total: int = 0
    files_done: int = 0
    files_failed: int = 0
    papers: int = 0

    def after(self, outcome: FileState) -> Progress:
        """The counts once one more file has ended in `outcome`; a done file stored a paper."""
        return replace(
            self,
            files_done=self.files_done + 1,
            files_failed=self.files_failed + (outcome is FileState.failed),
            papers=self.papers + (outcome is FileState.done),
        )


@dataclass(frozen=True, slots=True)
class NewFile:
    file_name: str
    path: str
    state: FileState = FileState.pending
    error: str | None = None
    paper: Paper | None = None
    worker: str | None = None


@dataclass(frozen=True, slots=True)
class JobPaths:
    """A job's input paths: those no other job reads, and those another still reads (a
    resumed or reclassified job reads its parent's uploads)."""

    unused: list[str]
    still_used: list[str]
