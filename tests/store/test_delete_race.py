"""Deleting a job while it is being resumed: the resumed job's inputs are never reported as
free to remove, whichever of the two commits first."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from catalogsvc.domain import JobKind, JobPhase, JobStatus
from catalogsvc.store.models import JobRow
from catalogsvc.store.repository import NewFile, Store
from tests.conftest_store import new_running_job

ROUNDS = 30


def ended_parent(store: Store, job_id: str) -> list[NewFile]:
    files = [NewFile(f"f{i}.pdf", f"/data/uploads/{job_id}/{i}-f.pdf") for i in range(3)]
    new_running_job(store, job_id, files=files)
    assert store.transition(job_id, {JobStatus.running}, {"status": "cancelled"})
    return files


def child_of(parent_id: str, child_id: str) -> JobRow:
    return JobRow(
        id=child_id,
        kind=JobKind.process.value,
        status=JobStatus.queued.value,
        phase=JobPhase.queued.value,
        parent_id=parent_id,
        taxonomy={"name": "t", "categories": []},
        classifier="offline",
    )


def test_a_resume_racing_a_delete_never_loses_the_files_it_reads(store: Store) -> None:
    with ThreadPoolExecutor(2) as threads:
        for round_number in range(ROUNDS):
            parent_id, child_id = f"parent{round_number}", f"child{round_number}"
            files = ended_parent(store, parent_id)
            start = threading.Barrier(2)

            def delete(parent_id: str = parent_id, start: threading.Barrier = start) -> list[str]:
                start.wait()
                return store.delete_job(parent_id).unused

            def resume(
                parent_id: str = parent_id,
                child_id: str = child_id,
                files: list[NewFile] = files,
                start: threading.Barrier = start,
            ) -> bool:
                start.wait()
                return store.create_job(child_of(parent_id, child_id), files, resumes=True)

            deleting, resuming = threads.submit(delete), threads.submit(resume)
            removable, resumed = deleting.result(), resuming.result()

            assert store.get_job(parent_id) is None
            if resumed:
                assert removable == [], f"round {round_number}: the child's inputs would go"
                assert len(store.list_files(child_id)) == len(files)
            else:
                assert sorted(removable) == sorted(file.path for file in files)
                assert store.get_job(child_id) is None
