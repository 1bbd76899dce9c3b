"""A job as one read of the store saw it: its row and its progress."""

from __future__ import annotations

from dataclasses import dataclass

from catalogsvc.store.models import JobRow
from catalogsvc.store.records import Progress


@dataclass(frozen=True, slots=True)
class JobSnapshot:
    job: JobRow
    progress: Progress
