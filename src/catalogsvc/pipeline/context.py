"""What a running job's pipeline sees: its row, its tools, and its cancel scope."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal, TypeVar

from catalogsvc.classification.classifier import Classifier
from catalogsvc.domain import FileState, JobPhase, Paper, Taxonomy
from catalogsvc.enrichment.enricher import Enricher
from catalogsvc.extraction.metadata_reader import MetadataReader
from catalogsvc.extraction.pool import ExtractionPool
from catalogsvc.jobs.cancel_scope import CancelScope, JobCancelled
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.events import FileEvent, ProgressEvent
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.pipeline.recorder import PaperRecorder
from catalogsvc.store.models import JobRow
from catalogsvc.store.records import Progress
from catalogsvc.store.repository import Store

T = TypeVar("T")
EndedFile = tuple[str, FileState, str | None, Paper | None]  # name, state, error, paper


@dataclass
class JobContext:
    """Everything one job's pipeline needs; phases receive it as their first argument."""

    job: JobRow
    taxonomy: Taxonomy
    scope: CancelScope
    store: Store
    bus: EventBus
    transitions: JobTransitions
    pool: ExtractionPool
    classifier: Classifier
    metadata_reader: MetadataReader | None
    classify_batch_size: int
    worker: str  # who reads the files: this replica's name, recorded on each file row
    enricher: Enricher | None = None  # the registries, with CATALOGSVC_ENRICH
    timings: dict[str, float] = field(default_factory=dict)
    recorder: PaperRecorder = field(init=False)  # one writer of the job's papers at a time
    # The job's counts while it extracts, kept up to date as its files end.
    files_progress: Progress | None = None
    _phase: JobPhase | None = None
    _phase_started: float = 0.0

    def __post_init__(self) -> None:
        self.recorder = PaperRecorder(
            self.store,
            self.bus,
            self.job.id,
            self.worker,
            lambda stored: self.files_ended(
                [(file.file_name, done.state, done.note, done.paper) for file, done in stored]
            ),
        )

    def files_ended(self, ended: Sequence[EndedFile]) -> None:
        """Publish the outcomes of files stored a moment ago in one write, then the job's
        counts after them: one progress event a write, not one a file (counts that the next
        ones overwrite were 15 % of the bytes a listener of a fast job received)."""
        for file_name, state, error, paper in ended:
            self.publish_file(file_name, state, error=error, paper=paper)
            if self.files_progress is not None:
                self.files_progress = self.files_progress.after(state)
        if ended and self.files_progress is not None:
            self.publish_progress(self.files_progress)

    @property
    def job_id(self) -> str:
        return self.job.id

    @property
    def cancelled(self) -> bool:
        return self.scope.event.is_set()

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise JobCancelled

    async def race(self, awaitable: Awaitable[T]) -> T:
        """Await `awaitable` unless the job's cancel event fires first (CancelScope.race)."""
        return await self.scope.race(awaitable)

    async def enter_phase(self, phase: JobPhase) -> None:
        self.check_cancelled()
        self.close_phase()
        self._phase = phase
        self._phase_started = time.monotonic()
        await self.transitions.enter_phase(self.job_id, phase, dict(self.timings))

    def close_phase(self) -> dict[str, float]:
        """Add the time spent in the current phase to the timings, and return them."""
        self.timings = self.elapsed_timings()
        self._phase = None
        return dict(self.timings)

    def elapsed_timings(self) -> dict[str, float]:
        """The timings so far, the current phase's time included, without closing it."""
        timings = dict(self.timings)
        if self._phase is not None:
            elapsed = time.monotonic() - self._phase_started
            timings[self._phase.value] = round(timings.get(self._phase.value, 0.0) + elapsed, 4)
        return timings

    def publish_file(
        self,
        file_name: str,
        state: Literal["started"] | FileState,
        *,
        error: str | None = None,
        paper: Paper | None = None,
    ) -> None:
        self.bus.publish(
            FileEvent(
                job_id=self.job_id, file_name=file_name, state=state, error=error, paper=paper
            )
        )

    def publish_progress(self, progress: Progress, *, classified: int = 0) -> None:
        self.bus.publish(
            ProgressEvent(job_id=self.job_id, classified=classified, **asdict(progress))
        )
