"""Conditional status updates: when writers race, exactly one wins."""

from __future__ import annotations

import threading

from catalogsvc.domain import ACTIVE_STATUSES, JobStatus
from catalogsvc.store.repository import Store
from tests.conftest_store import new_running_job


def race_cancel_and_complete(store: Store, job_id: str) -> dict[str, bool]:
    """Run a cancel and a completion of one job at the same moment; report who won."""
    start = threading.Barrier(2)
    won: dict[str, bool] = {}

    def move(target: JobStatus, allowed: tuple[JobStatus, ...]) -> None:
        start.wait()
        won[target.value] = store.transition(job_id, allowed, {"status": target.value})

    writers = [
        threading.Thread(target=move, args=(JobStatus.cancelled, ACTIVE_STATUSES)),
        threading.Thread(target=move, args=(JobStatus.completed, (JobStatus.running,))),
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    return won


def test_racing_cancel_and_complete_from_threads_leave_one_winner(store: Store) -> None:
    for trial in range(20):
        job_id = f"job{trial}"
        new_running_job(store, job_id)

        won = race_cancel_and_complete(store, job_id)

        assert sorted(won.values()) == [False, True], won
        final = store.get_job(job_id)
        assert final is not None
        assert final.status == next(status for status, did in won.items() if did)


def test_a_terminal_job_never_moves_again(store: Store) -> None:
    new_running_job(store, "done")
    assert store.transition("done", (JobStatus.running,), {"status": "completed"})
    for target in JobStatus:
        assert not store.transition("done", ACTIVE_STATUSES, {"status": target.value})
    final = store.get_job("done")
    assert final is not None and final.status == "completed"
