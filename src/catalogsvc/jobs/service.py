"""JobService: what the API and the CLI ask of jobs — submit, cancel, resume, reclassify, delete."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from catalogsvc.domain import (
    ACTIVE_STATUSES,
    RESUMABLE_STATUSES,
    FileState,
    JobKind,
    JobPhase,
    JobStatus,
    Paper,
    Taxonomy,
)
from catalogsvc.errors import (
    InvalidInput,
    JobNotCancellable,
    JobNotFound,
    JobNotResumable,
    JobStillActive,
    NotAFolder,
    PathNotAllowed,
    UploadTooLarge,
)
from catalogsvc.jobs.context import StopReason
from catalogsvc.jobs.replica import Replica
from catalogsvc.jobs.runner import JobRunner
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.settings import Settings
from catalogsvc.store.models import JobFileRow, JobRow, utc_now
from catalogsvc.store.repository import NewFile, Progress, Store


@dataclass(frozen=True, slots=True)
class JobSnapshot:
    job: JobRow
    progress: Progress


CancelOutcomeKind = Literal["cancelled", "already_cancelled", "not_cancellable", "not_found"]


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    id: str
    outcome: CancelOutcomeKind


class JobService:
    """The operations on jobs; status changes go through JobTransitions only.

    A service scoped to an owner (an API key's) creates jobs as that owner and sees only
    its jobs: another owner's job is not found. Unscoped, it sees every job.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        transitions: JobTransitions,
        runner: JobRunner,
        classifier_name: str,
        replica: Replica,
        owner: str | None = None,
    ) -> None:
        self._owner = owner
        self._settings = settings
        self._replica = replica
        self._store = store
        self._transitions = transitions
        self._runner = runner
        self._classifier_name = classifier_name

    def scoped_to(self, owner: str | None) -> JobService:
        """This service as one owner sees it; None sees every job."""
        return JobService(
            self._settings,
            self._store,
            self._transitions,
            self._runner,
            self._classifier_name,
            self._replica,
            owner,
        )

    async def submit_upload(
        self, uploads: Sequence[tuple[str, BinaryIO]], taxonomy: Taxonomy
    ) -> JobSnapshot:
        """Store the uploaded files under DATA_DIR/uploads and start a job over them."""
        if not uploads:
            raise InvalidInput("at least one file is required", field="files")
        job_id = uuid.uuid4().hex
        folder = self._settings.uploads_dir / job_id
        limit = self._settings.max_upload_mb * 1024 * 1024
        try:
            files = await asyncio.to_thread(_save_uploads, uploads, folder, limit)
        except UploadTooLarge:
            await asyncio.to_thread(shutil.rmtree, folder, True)
            raise
        return await self._create(job_id, JobKind.process, taxonomy, files, "upload", self._owner)

    async def submit_folder(self, path: str, *, recursive: bool, taxonomy: Taxonomy) -> JobSnapshot:
        """Start a job over the PDFs of a server folder inside CATALOGSVC_ALLOWED_ROOTS."""
        folder = await asyncio.to_thread(self._allowed_folder, path)
        pattern = "**/*" if recursive else "*"
        found = await asyncio.to_thread(
            lambda: sorted(
                p for p in folder.glob(pattern) if p.suffix.lower() == ".pdf" and p.is_file()
            )
        )
        if not found:
            raise NotAFolder(f"no PDF files in {folder}")
        files = [NewFile(str(p.relative_to(folder)), str(p)) for p in found]
        return await self._create(
            uuid.uuid4().hex, JobKind.process, taxonomy, files, str(folder), self._owner
        )

    async def cancel_job(self, job_id: str) -> JobSnapshot:
        """Cancel a queued or running job; the cancelled row is written before this returns."""
        await self._cancel(job_id)
        return await self.get_job(job_id)

    async def cancel_jobs(self, job_ids: Sequence[str]) -> list[CancelOutcome]:
        outcomes = []
        for job_id in job_ids:
            outcome: CancelOutcomeKind
            try:
                outcome = "cancelled" if await self._cancel(job_id) else "already_cancelled"
            except JobNotFound:
                outcome = "not_found"
            except JobNotCancellable:
                outcome = "not_cancellable"
            outcomes.append(CancelOutcome(job_id, outcome))
        return outcomes

    async def _cancel(self, job_id: str) -> bool:
        """True if this call cancelled the job, False if it was cancelled already."""
        if self._owner is not None:
            await self._require(job_id)
        if await self._transitions.cancel(job_id):
            self._runner.stop(job_id, StopReason.user_cancel)
            return True
        job = await self._require(job_id)
        if job.status != JobStatus.cancelled:
            raise JobNotCancellable(f"job {job_id} is already {job.status}")
        return False

    async def resume_job(self, job_id: str, *, retry_failed: bool) -> JobSnapshot:
        """A new job over the parent's unfinished files, reusing the papers already extracted."""
        parent = await self._require(job_id)
        if parent.status not in RESUMABLE_STATUSES:
            raise JobNotResumable(
                f"job {job_id} is {parent.status}; only cancelled, failed or "
                "interrupted jobs can be resumed"
            )
        # A parent cancelled a moment ago may still be storing the file it had in hand.
        await self._runner.wait(parent.id)
        files = await self._carried_files(parent, retry_failed=retry_failed)
        taxonomy = Taxonomy.model_validate(parent.taxonomy)
        return await self._create(
            uuid.uuid4().hex,
            JobKind(parent.kind),
            taxonomy,
            files,
            parent.source,
            parent.owner,
            parent_id=parent.id,
        )

    async def reclassify_job(self, job_id: str, taxonomy: Taxonomy | None) -> JobSnapshot:
        """A new job that classifies the parent's papers again and rebuilds the catalog."""
        parent = await self._require(job_id)
        if parent.status in ACTIVE_STATUSES:
            raise JobStillActive(f"job {job_id} is still {parent.status}")
        await self._runner.wait(parent.id)
        files = await self._carried_files(parent, retry_failed=False)
        chosen = taxonomy or Taxonomy.model_validate(parent.taxonomy)
        return await self._create(
            uuid.uuid4().hex,
            JobKind.reclassify,
            chosen,
            files,
            parent.source,
            parent.owner,
            parent_id=parent.id,
        )

    async def delete_job(self, job_id: str) -> None:
        """Remove a finished job, its papers, its catalogs and the uploads only it used."""
        job = await self._require(job_id)
        if job.status in ACTIVE_STATUSES:
            raise JobStillActive(f"job {job_id} is still {job.status}; cancel it first")
        unused, still_used = await asyncio.to_thread(self._store.delete_job, job_id)
        await asyncio.to_thread(self._remove_files, job_id, unused, still_used)

    async def get_job(self, job_id: str) -> JobSnapshot:
        job = await self._require(job_id)
        progress = await asyncio.to_thread(self._store.progress, [job_id])
        return JobSnapshot(job, progress[job_id])

    async def list_jobs(
        self,
        *,
        statuses: Sequence[JobStatus],
        kind: JobKind | None,
        limit: int,
        cursor: int | None,
    ) -> tuple[list[JobSnapshot], int | None]:
        jobs = await asyncio.to_thread(
            lambda: self._store.list_jobs(
                statuses=statuses, kind=kind, owner=self._owner, limit=limit + 1, before_seq=cursor
            )
        )
        page = jobs[:limit]
        progress = await asyncio.to_thread(self._store.progress, [job.id for job in page])
        next_cursor = page[-1].seq if len(jobs) > limit and page else None
        return [JobSnapshot(job, progress[job.id]) for job in page], next_cursor

    async def list_files(self, job_id: str) -> list[JobFileRow]:
        await self._require(job_id)
        return await asyncio.to_thread(self._store.list_files, job_id)

    async def list_papers(self, job_id: str) -> list[Paper]:
        await self._require(job_id)
        return await asyncio.to_thread(self._store.list_papers, job_id)

    async def _create(
        self,
        job_id: str,
        kind: JobKind,
        taxonomy: Taxonomy,
        files: Sequence[NewFile],
        source: str,
        owner: str | None,
        parent_id: str | None = None,
    ) -> JobSnapshot:
        row = JobRow(
            id=job_id,
            kind=kind.value,
            status=JobStatus.queued.value,
            phase=JobPhase.queued.value,
            parent_id=parent_id,
            taxonomy=taxonomy.model_dump(),
            classifier=self._classifier_name,
            source=source,
            owner=owner,
            replica=self._replica.name,
            lease_renewed_at=utc_now(),
        )
        job = await asyncio.to_thread(self._store.create_job, row, files)
        self._runner.launch(job)
        return await self.get_job(job_id)

    async def _require(self, job_id: str) -> JobRow:
        job = await asyncio.to_thread(self._store.get_job, job_id)
        if job is None or (self._owner is not None and job.owner != self._owner):
            raise JobNotFound(f"no job with id {job_id!r}")
        return job

    async def _carried_files(self, parent: JobRow, *, retry_failed: bool) -> list[NewFile]:
        files = await asyncio.to_thread(self._store.list_files, parent.id)
        papers = {p.id: p for p in await asyncio.to_thread(self._store.list_papers, parent.id)}
        carried = []
        for file in files:
            state = FileState(file.state)
            error = file.error
            if state is FileState.failed and retry_failed:
                state, error = FileState.pending, None
            paper = papers.get(file.paper_id) if file.paper_id is not None else None
            if state is FileState.done and paper is None:
                state = FileState.pending
            carried.append(NewFile(file.file_name, file.path, state, error, paper))
        return carried

    def _allowed_folder(self, path: str) -> Path:
        try:
            folder = Path(path).expanduser().resolve()
        except (ValueError, RuntimeError) as error:  # a NUL byte; "~name" of no known user
            raise NotAFolder(f"{path!r} is not a usable path ({error})") from error
        roots = [root.expanduser().resolve() for root in self._settings.allowed_roots]
        if not any(folder == root or folder.is_relative_to(root) for root in roots):
            raise PathNotAllowed(
                f"{path} lies outside CATALOGSVC_ALLOWED_ROOTS"
                + ("" if roots else " (none are configured)")
            )
        if not _is_folder(folder):
            raise NotAFolder(f"{path} is not a folder")
        return folder

    def _remove_files(self, job_id: str, unused: Sequence[str], still_used: Sequence[str]) -> None:
        uploads = self._settings.uploads_dir.resolve()
        job_uploads = uploads / job_id
        # A resumed or reclassified job may still read its parent's uploads.
        if not any(Path(p).resolve().is_relative_to(job_uploads) for p in still_used):
            shutil.rmtree(job_uploads, ignore_errors=True)
        for path in unused:
            candidate = Path(path).resolve()
            if candidate.is_relative_to(uploads):
                candidate.unlink(missing_ok=True)
        shutil.rmtree(self._settings.catalogs_dir / job_id, ignore_errors=True)


def _save_uploads(
    uploads: Sequence[tuple[str, BinaryIO]], folder: Path, limit: int
) -> list[NewFile]:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    files = []
    for position, (name, stream) in enumerate(uploads):
        safe_name = Path(name or f"file-{position}.pdf").name or f"file-{position}.pdf"
        target = folder / f"{position:05d}-{safe_name}"
        with target.open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
                if total > limit:
                    raise UploadTooLarge(
                        f"the upload exceeds CATALOGSVC_MAX_UPLOAD_MB ({limit // (1024 * 1024)} MB)"
                    )
                out.write(chunk)
        files.append(NewFile(safe_name, str(target)))
    return files


def _is_folder(path: Path) -> bool:
    """Whether `path` is a folder; a name too long for the file system is not one."""
    try:
        return path.is_dir()
    except OSError:
        return False
