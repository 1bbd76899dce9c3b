"""A job as one read of the store saw it: the fields people are shown, and its progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from catalogsvc.store.records import Progress


class JobView(NamedTuple):
    """A job's row as the read path reads it: plain values in a tuple, the cheapest thing to
    build fifty times per request (a frozen dataclass costs three times as much)."""

    seq: int
    id: str
    name: str | None
    source: str
    kind: str
    status: str
    phase: str
    error: str | None
    created_at: datetime
    start_time: datetime | None
    end_time: datetime | None
    cancel_requested_at: datetime | None
    parent_id: str | None
    resumed_by: str | None
    taxonomy: dict[str, Any]  # in a page of the history, its name only
    classifier: str
    timings: dict[str, float]
    replica: str | None  # the process that runs it, if it runs in-process


JOB_VIEW_FIELDS = JobView._fields


@dataclass(frozen=True, slots=True)
class JobSnapshot:
    job: JobView
    progress: Progress
