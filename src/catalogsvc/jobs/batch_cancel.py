"""Cancelling many jobs in one request: an outcome per job, never an error for the batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from catalogsvc.errors import JobNotCancellable, JobNotFound
from catalogsvc.jobs.service import JobService

CancelOutcomeKind = Literal["cancelled", "already_cancelled", "not_cancellable", "not_found"]


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    id: str
    outcome: CancelOutcomeKind


async def cancel_jobs(jobs: JobService, job_ids: Sequence[str]) -> list[CancelOutcome]:
    outcomes = []
    for job_id in job_ids:
        outcome: CancelOutcomeKind
        try:
            outcome = "cancelled" if await jobs.request_cancel(job_id) else "already_cancelled"
        except JobNotFound:
            outcome = "not_found"
        except JobNotCancellable:
            outcome = "not_cancellable"
        outcomes.append(CancelOutcome(job_id, outcome))
    return outcomes
