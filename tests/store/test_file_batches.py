"""Papers stored in batches: one transaction per batch, a copy within the batch skipped like a
copy stored before it, a file another worker ended left as it was, nothing once the job ended;
and the recorder that gathers a job's papers into those batches and reports each as stored."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from catalogsvc.domain import ExtractedPaper, FileState
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.pipeline.recorder import PaperRecorder
from catalogsvc.store.file_results import StoredFile
from catalogsvc.store.models import JobFileRow
from catalogsvc.store.repository import Store
from tests.conftest_store import record_one
from tests.store.test_frozen_jobs import cancel, running_job_with_files


def paper(sha: str, title: str) -> ExtractedPaper:
    return ExtractedPaper(sha256=sha * 64, pages=1, title=title, authors=["Ada Lovelace"])


def test_a_batch_stores_each_new_paper_once_and_skips_copies_and_files_ended_elsewhere(
    store: Store,
) -> None:
    stored_before, first, copy, ended_elsewhere, copy_of_stored = running_job_with_files(
        store, "job", 5
    )
    assert record_one(store, stored_before, paper("a", "Stored before")) is not None
    assert record_one(store, ended_elsewhere, paper("c", "Elsewhere")) is not None

    outcomes = store.record_extracted_batch(
        "job",
        [
            (first, paper("b", "New")),
            (copy, paper("b", "New again")),
            (ended_elsewhere, paper("d", "Twice")),
            (copy_of_stored, paper("a", "Stored before, again")),
        ],
        worker="w",
    )

    assert outcomes is not None
    new, skipped, untouched, skipped_too = outcomes
    assert new is not None and new.state is FileState.done and new.paper is not None
    assert (new.paper.title, new.paper.authors, new.paper.file_name) == (
        "New",
        ["Ada Lovelace"],
        "f1.pdf",
    )
    assert skipped is not None and (skipped.state, skipped.note) == (
        FileState.skipped,
        "same content as f1.pdf",
    )
    assert untouched is None
    assert skipped_too is not None and skipped_too.note == "same content as f0.pdf"
    stored = {p.id: p for p in store.list_papers("job")}
    assert sorted(p.title or "" for p in stored.values()) == ["Elsewhere", "New", "Stored before"]
    assert stored[new.paper.id] == new.paper
    files = {f.file_name: f for f in store.list_files("job")}
    assert (files["f1.pdf"].state, files["f1.pdf"].paper_id, files["f1.pdf"].worker) == (
        "done",
        new.paper.id,
        "w",
    )
    assert (files["f2.pdf"].state, files["f4.pdf"].state) == ("skipped", "skipped")


def test_a_batch_stores_nothing_once_the_job_ended(store: Store) -> None:
    (file,) = running_job_with_files(store, "job", 1)
    cancel(store, "job")

    assert store.record_extracted_batch("job", [(file, paper("a", "Late"))], worker="w") is None
    assert store.list_papers("job") == []
    assert store.list_files("job")[0].state == "pending"


class BatchCountingStore(Store):
    """The store, noting the size of each batch it writes."""

    batches: list[int]

    def record_extracted_batch(
        self, job_id: str, files: Sequence[tuple[JobFileRow, ExtractedPaper]], *, worker: str
    ) -> list[StoredFile | None] | None:
        self.batches.append(len(files))
        return super().record_extracted_batch(job_id, files, worker=worker)


async def test_papers_that_arrive_before_a_write_begins_go_together_in_one_transaction(
    store: Store,
) -> None:
    counting = BatchCountingStore(store.engine)
    counting.batches = []
    *files, last = await asyncio.to_thread(running_job_with_files, counting, "job", 7)
    heard: list[list[tuple[str, FileState]]] = []  # the files each write reports stored
    recorder = PaperRecorder(
        counting,
        EventBus(),
        "job",
        "w",
        lambda stored: heard.append([(file.file_name, done.state) for file, done in stored]),
    )

    outcomes = await asyncio.gather(
        *(recorder.record(file, paper(str(i), f"Paper {i}")) for i, file in enumerate(files))
    )
    alone = await recorder.record(last, paper("f", "Paper 6"))

    assert [outcome.state for outcome in [*outcomes, alone]] == [FileState.done] * 7
    assert counting.batches == [6, 1]
    assert heard == [
        [(f"f{i}.pdf", FileState.done) for i in range(6)],
        [("f6.pdf", FileState.done)],
    ]
    papers = await asyncio.to_thread(counting.list_papers, "job")
    assert [p.title for p in papers] == [f"Paper {i}" for i in range(7)]
