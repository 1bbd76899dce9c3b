"""The pipeline's phases as plain async functions over a JobContext."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Collection
from functools import partial

from catalogsvc.domain import ExtractedPaper, FileState, Paper
from catalogsvc.errors import CatalogError
from catalogsvc.jobs.cancel_scope import JobCancelled
from catalogsvc.pipeline.context import JobContext
from catalogsvc.store.file_results import FileAlreadyEnded
from catalogsvc.store.models import JobFileRow
from catalogsvc.taxonomies import assignable_categories

# Files in hand per worker: its pipe at its deepest (pipe_pace.MAX_PIPELINED), files waiting
# to be stored together (recorder.BATCH_FILES) and as many again queued, so that a worker
# reads on through a stall of the event loop (a hundred event streams starting at once).
# Twice as many kept the server 4 MB larger after a 10,000-file job, for no measured gain.
FILES_IN_HAND_PER_WORKER = 32
FILES_PAGE = 1024  # pending files read at a time to extract
CLASSIFY_PAGE = 1024  # papers read at a time to classify


async def extract_files(context: JobContext, only: Collection[int] | None = None) -> None:
    """Extract every pending file (of those in `only`, a queue task's batch), keeping every
    worker of the pool busy: several files are in hand per worker, so a worker starts its
    next file while the results of its last ones are being stored. The pending files are read
    a page at a time: a big job's files are never all in memory."""
    # Counted once, then kept up to date: a count per file would read every file of the job.
    progress = await asyncio.to_thread(context.store.progress, [context.job_id])
    context.files_progress = progress[context.job_id]
    pending: deque[JobFileRow] = deque()
    read_to: int | None = None  # the position of the last file read
    all_read = False
    reading = asyncio.Lock()

    async def next_file() -> JobFileRow | None:
        nonlocal read_to, all_read
        async with reading:
            if not pending and not all_read:
                page = await asyncio.to_thread(
                    partial(
                        context.store.list_files,
                        context.job_id,
                        (FileState.pending,),
                        only,
                        after=read_to,
                        limit=FILES_PAGE,
                    )
                )
                all_read = len(page) < FILES_PAGE
                read_to = page[-1].position if page else read_to
                pending.extend(page)
        return pending.popleft() if pending else None

    async def take_files() -> None:
        while not context.cancelled and (file := await next_file()) is not None:
            await extract_one_file(context, file)

    # Files in hand: each worker's next one waits while its last is stored, and the papers
    # that wait to be stored together keep the store's pace up with the workers'.
    await asyncio.gather(
        *(take_files() for _ in range(FILES_IN_HAND_PER_WORKER * context.pool.size))
    )
    context.check_cancelled()


async def extract_one_file(context: JobContext, file: JobFileRow) -> FileState | None:
    """Extract one file, abandoning it on cancel; once extracted, its result is always stored.
    The file's outcome, or None when the cancel came first."""
    assert file.id is not None

    def started() -> None:
        context.publish_file(file.file_name, "started")

    try:
        extracted = await context.race(context.pool.extract(file.path, on_start=started))
        if context.metadata_reader is not None:
            extracted = await context.race(context.metadata_reader.refine(file.path, extracted))
        if context.enricher is not None:
            extracted = await context.race(context.enricher.enrich(extracted))
    except JobCancelled:
        return None
    except Exception as exc:  # a failure while reading one file fails that file, never the job
        detail = exc.detail if isinstance(exc, CatalogError) else f"{type(exc).__name__}: {exc}"
        return await _record_outcome(context, file, FileState.failed, detail)
    return await record_extracted(context, file, extracted)


async def record_extracted(
    context: JobContext, file: JobFileRow, extracted: ExtractedPaper
) -> FileState | None:
    """Store the paper, or skip the file when the job already has a paper with its content;
    None when another worker stored the file first (a task that ran twice)."""
    try:
        # JobCancelled when the job ended meanwhile: its history stays as it was then. The
        # recorder published the file's events as it stored it.
        stored = await context.recorder.record(file, extracted)
    except FileAlreadyEnded:
        return None
    return stored.state


async def _record_outcome(
    context: JobContext, file: JobFileRow, state: FileState, error: str
) -> FileState | None:
    """Record a failed file; stop if the job ended meanwhile, None if another worker ended
    the file first."""
    assert file.id is not None
    record = partial(
        context.store.record_file_outcome,
        context.job_id,
        file.id,
        state,
        error,
        worker=context.worker,
    )
    with context.bus.in_flight(context.job_id):
        try:
            recorded = await asyncio.to_thread(record)
        except FileAlreadyEnded:
            return None
        if not recorded:
            raise JobCancelled
        context.files_ended([(file.file_name, state, error, None)])
    return state


async def classify_papers(context: JobContext) -> None:
    """Classify the job's papers batch by batch, storing each batch's categories; a category
    a user set is kept while it is one of the taxonomy's, unless the job overwrites them.
    The papers are read a page at a time: a big job's papers are never all in memory."""
    progress = (await asyncio.to_thread(context.store.progress, [context.job_id]))[context.job_id]
    classified, after = 0, None
    while page := await asyncio.to_thread(
        partial(context.store.list_papers, context.job_id, after=after, limit=CLASSIFY_PAGE)
    ):
        after = page[-1].id
        kept = set() if context.job.overwrite_user_categories else _user_categories(page, context)
        classified += len(kept)
        papers = [paper for paper in page if paper.id not in kept]
        size = context.classify_batch_size
        for start in range(0, len(papers), size):
            batch = papers[start : start + size]
            assignments = await context.race(context.classifier.classify(batch, context.taxonomy))
            pairs = [(paper.id, answer) for paper, answer in zip(batch, assignments, strict=True)]
            if not await asyncio.to_thread(context.store.set_categories, context.job_id, pairs):
                raise JobCancelled
            classified += len(batch)
            context.publish_progress(progress, classified=classified)


def _user_categories(papers: list[Paper], context: JobContext) -> set[int]:
    """The papers whose category a user set, to one of this job's categories."""
    names = assignable_categories(context.taxonomy)
    return {
        paper.id
        for paper in papers
        # None: the user cleared it, which is a choice too.
        if paper.category_set_by_user and (paper.category is None or paper.category in names)
    }
