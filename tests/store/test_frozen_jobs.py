"""A job's own writes are refused once it has ended; progress is one consistent snapshot."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from catalogsvc.domain import ACTIVE_STATUSES, CategoryAssignment, ExtractedPaper, FileState
from catalogsvc.store.file_results import FileAlreadyEnded
from catalogsvc.store.models import JobFileRow
from catalogsvc.store.repository import NewFile, Store
from tests.conftest_store import new_running_job, record_one


def running_job_with_files(store: Store, job_id: str, count: int) -> list[JobFileRow]:
    files = [NewFile(f"f{i}.pdf", f"/papers/f{i}.pdf") for i in range(count)]
    new_running_job(store, job_id, files=files)
    return store.list_files(job_id)


def cancel(store: Store, job_id: str) -> None:
    assert store.transition(job_id, ACTIVE_STATUSES, {"status": "cancelled"})


def test_no_paper_or_file_outcome_is_stored_after_the_job_ended(store: Store) -> None:
    first, second, third = running_job_with_files(store, "job", 3)
    assert (
        record_one(store, first, ExtractedPaper(sha256="a" * 64, pages=1, title="Kept")) is not None
    )
    before = store.progress(["job"])["job"]
    cancel(store, "job")

    late_paper = record_one(store, second, ExtractedPaper(sha256="b" * 64, pages=1, title="Late"))
    late_failure = store.record_file_outcome("job", third.id or 0, FileState.failed, "late")
    paper_id = store.list_papers("job")[0].id
    late_category = store.set_categories("job", [(paper_id, CategoryAssignment("X", 1.0))])

    assert late_paper is None
    assert late_failure is False
    assert late_category is False
    assert store.progress(["job"])["job"] == before
    assert [p.title for p in store.list_papers("job")] == ["Kept"]
    assert store.list_papers("job")[0].category is None


def test_progress_counts_files_and_papers_from_one_snapshot(store: Store) -> None:
    """While papers are stored one by one, every read of the progress agrees with itself:
    papers equal the files done minus the failed and skipped ones."""
    files = running_job_with_files(store, "job", 150)
    stop = threading.Event()

    def store_papers() -> None:
        for index, file in enumerate(files):
            record_one(store, file, ExtractedPaper(sha256=f"{index:064d}", pages=1))
        stop.set()

    writer = threading.Thread(target=store_papers)
    writer.start()
    reads = []
    while not stop.is_set():
        reads.append(store.progress(["job"])["job"])
    writer.join()

    assert len(reads) > 10
    assert all(p.papers == p.files_done - p.files_failed for p in reads)


def test_a_file_is_stored_once_when_two_workers_finish_it(store: Store) -> None:
    """A task run twice (its worker looked dead, then came back): the second worker to finish
    the same file stores nothing and changes nothing."""
    (file,) = running_job_with_files(store, "job", 1)
    paper = ExtractedPaper(sha256="a" * 64, pages=1, title="Once")

    first = record_one(store, file, paper, worker="w1")
    with pytest.raises(FileAlreadyEnded):
        record_one(store, file, paper, worker="w2")
    with pytest.raises(FileAlreadyEnded):
        store.record_file_outcome("job", file.id or 0, FileState.failed, "late", worker="w2")

    assert first is not None and first.state is FileState.done
    assert [p.title for p in store.list_papers("job")] == ["Once"]
    (stored,) = store.list_files("job")
    assert (stored.state, stored.worker, stored.error) == ("done", "w1", None)


def test_two_files_of_one_content_finished_at_once_store_one_paper(store: Store) -> None:
    files = running_job_with_files(store, "job", 8)
    same = ExtractedPaper(sha256="c" * 64, pages=1, title="Copy")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda f: record_one(store, f, same, worker="w"), files))

    assert sorted(r.state for r in results if r) == ["done"] + ["skipped"] * 7
    assert len(store.list_papers("job")) == 1
