"""JobService: what the API and the CLI ask of jobs — submit, cancel, resume, reclassify, delete."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO

from catalogsvc.domain import (
    ACTIVE_STATUSES,
    RESUMABLE_STATUSES,
    JobKind,
    JobPhase,
    JobStatus,
    Taxonomy,
)
from catalogsvc.errors import (
    InvalidInput,
    JobAlreadyResumed,
    JobNotCancellable,
    JobNotFound,
    JobNotResumable,
    JobStillActive,
    NotAFolder,
    ServiceStopping,
    StorageFull,
)
from catalogsvc.jobs.cancel_scope import StopReason
from catalogsvc.jobs.inputs import (
    allowed_folder,
    carried_files,
    folder_files,
    has_pdf_below,
    remove_job_files,
    save_uploads,
    with_categories_of,
)
from catalogsvc.jobs.job_names import default_name
from catalogsvc.jobs.job_reads import JobReads
from catalogsvc.jobs.replica import Replica
from catalogsvc.jobs.runner import JobRunner
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.settings import Settings
from catalogsvc.store.models import JobRow, utc_now
from catalogsvc.store.repository import NewFile, Store
from catalogsvc.store.snapshot import JobSnapshot, JobView
from catalogsvc.taxonomies import assignable_categories

if TYPE_CHECKING:  # procrastinate is installed with the postgresql extra only
    from catalogsvc.jobs.task_queue import TaskQueue


class JobService(JobReads):
    """The operations on jobs; status changes go through JobTransitions only.

    A service scoped to an owner (an API key's) creates jobs as that owner and sees only
    its jobs: another owner's job is not found. Unscoped, it sees every job.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        transitions: JobTransitions,
        runner: JobRunner[Any],
        classifier_name: str,
        replica: Replica,
        owner: str | None = None,
        *,
        queue: TaskQueue | None = None,
    ) -> None:
        super().__init__(store, owner)
        self._queue = queue
        self._settings = settings
        self._replica = replica
        self._transitions = transitions
        self._runner = runner
        self._classifier_name = classifier_name

    def scoped_to(self, owner: str | None) -> JobService:  # None: sees every job
        parts = (self._settings, self._store, self._transitions, self._runner)
        return JobService(*parts, self._classifier_name, self._replica, owner, queue=self._queue)

    async def submit_upload(
        self, uploads: Sequence[tuple[str, BinaryIO]], taxonomy: Taxonomy, name: str | None = None
    ) -> JobSnapshot:
        """Store the uploaded files under DATA_DIR/uploads and start a job over them."""
        if not uploads:
            raise InvalidInput("at least one file is required", field="files")
        job_id = uuid.uuid4().hex
        limit = self._settings.max_upload_mb * 1024 * 1024
        # An absolute path compares equal whatever the cwd.
        folder = await asyncio.to_thread(self._settings.uploads_dir.resolve) / job_id
        files = await asyncio.to_thread(save_uploads, uploads, folder, limit)
        kind = JobKind.process
        try:
            return await self._create(
                job_id, kind, taxonomy, files, "upload", self._owner, name=name
            )
        except ServiceStopping:  # refused before any row names the files
            await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
            raise

    async def submit_folder(
        self, path: str, *, recursive: bool, taxonomy: Taxonomy, name: str | None = None
    ) -> JobSnapshot:
        """Start a job over the PDFs of a server folder inside CATALOGSVC_ALLOWED_ROOTS."""
        roots, data_dir = self._settings.allowed_roots, self._settings.data_dir
        folder = await asyncio.to_thread(allowed_folder, path, roots, data_dir)
        files = await asyncio.to_thread(
            lambda: folder_files(folder, recursive=recursive, roots=roots, data_dir=data_dir)
        )
        if not files:
            below = not recursive and await asyncio.to_thread(has_pdf_below, folder)
            hint = '; its subfolders have some: ask with "recursive": true' if below else ""
            raise NotAFolder(f"no PDF files in {folder}{hint}")
        job_id, kind = uuid.uuid4().hex, JobKind.process
        return await self._create(
            job_id, kind, taxonomy, files, str(folder), self._owner, name=name
        )

    async def cancel_job(self, job_id: str) -> JobSnapshot:
        """Cancel a queued or running job; the cancelled row is written before this returns."""
        await self.request_cancel(job_id)
        return await self.get_job(job_id)

    async def request_cancel(self, job_id: str) -> bool:
        """True if this call cancelled the job, False if it was cancelled already."""
        if self._owner is not None:
            await self._require(job_id)
        if await self._transitions.cancel(job_id, self._runner.timings_of(job_id)):
            self._runner.stop(job_id, StopReason.user_cancel)
            return True
        job = await self._require(job_id)
        if job.status != JobStatus.cancelled:
            raise JobNotCancellable(f"job {job_id} is already {job.status}")
        return False

    async def resume_job(self, job_id: str, *, retry_failed: bool) -> JobSnapshot:
        """A new job over the parent's unfinished files, reusing the papers already extracted."""
        parent = await self._require(job_id)
        if parent.resumed_by is not None:
            raise JobAlreadyResumed.naming(parent.id, parent.resumed_by)
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
            resumes=True,
            name=parent.name,
        )

    async def reclassify_job(
        self, job_id: str, taxonomy: Taxonomy | None, *, overwrite_user_categories: bool = False
    ) -> JobSnapshot:
        """A new job classifying the parent's papers again (user categories kept unless told)."""
        parent = await self._require(job_id)
        if parent.status in ACTIVE_STATUSES:
            raise JobStillActive(f"job {job_id} is still {parent.status}")
        await self._runner.wait(parent.id)
        files = await self._carried_files(parent, retry_failed=False)
        chosen = taxonomy or Taxonomy.model_validate(parent.taxonomy)
        files = with_categories_of(files, assignable_categories(chosen))
        return await self._create(
            uuid.uuid4().hex,
            JobKind.reclassify,
            chosen,
            files,
            parent.source,
            parent.owner,
            parent_id=parent.id,
            overwrite_user_categories=overwrite_user_categories,
            name=parent.name,
        )

    async def delete_job(self, job_id: str) -> None:
        """Remove a finished job, its papers and the uploads only it used."""
        job = await self._require(job_id)
        if job.status in ACTIVE_STATUSES:
            raise JobStillActive(f"job {job_id} is still {job.status}; cancel it first")
        uploads = await asyncio.to_thread(self._settings.uploads_dir.resolve)
        try:
            paths = await asyncio.to_thread(self._store.delete_job, job_id)
        except StorageFull:
            # A full disk: the job's own files make room for the database to forget it.
            before = await asyncio.to_thread(self._store.job_paths, job_id)
            await asyncio.to_thread(remove_job_files, uploads, job_id, before)
            paths = await asyncio.to_thread(self._store.delete_job, job_id)
        await asyncio.to_thread(remove_job_files, uploads, job_id, paths)
        await self._restore_reserve()

    def runs_here(self, job: JobView) -> bool:
        """Whether this process runs the job (and so publishes its events on its bus)."""
        return self._queue is None and job.replica == self._replica.name

    async def _create(
        self,
        job_id: str,
        kind: JobKind,
        taxonomy: Taxonomy,
        files: Sequence[NewFile],
        source: str,
        owner: str | None,
        parent_id: str | None = None,
        *,
        resumes: bool = False,
        overwrite_user_categories: bool = False,
        name: str | None = None,
    ) -> JobSnapshot:
        row = JobRow(
            id=job_id,
            name=name or default_name(source, files),
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
            overwrite_user_categories=overwrite_user_categories,
        )
        if self._runner.stopping:
            raise ServiceStopping("The service is shutting down; ask again once it is back.")
        then = None if self._queue is None else self._queue.defer_work
        create = partial(self._store.create_job, row, files, resumes=resumes, then=then)
        if not await asyncio.to_thread(create):
            assert parent_id is not None  # only a job with a parent can lose its creation
            raise await self._parent_refusal(parent_id)
        await self._restore_reserve()
        if self._queue is None:
            self._runner.launch(row)
        return await self.get_job(job_id)

    async def _restore_reserve(self) -> None:
        if self._store.reserve is not None:
            await asyncio.to_thread(self._store.reserve.restore)

    async def _parent_refusal(self, parent_id: str) -> Exception:
        """Why a job over `parent_id` was not created: deleted, resumed or active again."""
        parent = await asyncio.to_thread(self._store.get_job, parent_id)
        if parent is None:
            return JobNotFound(f"no job with id {parent_id!r}")
        if parent.resumed_by is not None:
            return JobAlreadyResumed.naming(parent.id, parent.resumed_by)
        return JobStillActive(f"job {parent_id} is {parent.status}")

    async def _carried_files(self, parent: JobRow, *, retry_failed: bool) -> list[NewFile]:
        files = await asyncio.to_thread(self._store.list_files, parent.id)
        papers = await asyncio.to_thread(self._store.list_papers, parent.id)
        return carried_files(files, papers, retry_failed=retry_failed)
