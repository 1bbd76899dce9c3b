"""A running job's events, one typed model per kind, as its SSE stream and the CLI's progress
bar receive them (through catalogsvc.jobs.event_bus)."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel

from catalogsvc.domain import FileState, JobPhase, JobStatus, Paper


class _Event(BaseModel):
    @cached_property
    def as_sse(self) -> bytes:
        """The event as one server-sent event (its JSON holds no line break), encoded once
        however many streams carry it."""
        kind: str = getattr(self, "kind")  # noqa: B009 -- each kind of event names itself
        return f"event: {kind}\r\ndata: {self.model_dump_json()}\r\n\r\n".encode()


class StatusEvent(_Event):
    """The job moved to `status`; the last event of a stream is a terminal one."""

    kind: Literal["status"] = "status"
    job_id: str
    status: JobStatus
    reason: str


class PhaseEvent(_Event):
    """The job entered `phase`; `timings` are the seconds spent in each phase so far."""

    kind: Literal["phase"] = "phase"
    job_id: str
    phase: JobPhase
    timings: dict[str, float]


class FileEvent(_Event):
    """A worker took a file (`started`), or the file ended: `done` with its paper, or
    `failed` / `skipped` with the reason."""

    kind: Literal["file"] = "file"
    job_id: str
    file_name: str
    state: Literal["started"] | FileState
    error: str | None = None
    paper: Paper | None = None


class ProgressEvent(_Event):
    """The job's counts: files ended (failed ones included), papers stored, papers classified."""

    kind: Literal["progress"] = "progress"
    job_id: str
    files_total: int
    files_done: int
    files_failed: int
    papers: int
    classified: int = 0


class LaggedEvent(_Event):
    """The last event of a stream that fell `behind` events behind the job: it ends there, and
    a client reconnects for the job's state as it is now."""

    kind: Literal["lagged"] = "lagged"
    job_id: str
    behind: int


JobEvent = StatusEvent | PhaseEvent | FileEvent | ProgressEvent | LaggedEvent
