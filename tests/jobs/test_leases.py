"""Job leases: a replica's live jobs are left alone, a gone replica's jobs are interrupted."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from catalogsvc.domain import ACTIVE_STATUSES, JobStatus
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.events import StatusEvent
from catalogsvc.jobs.leases import LeaseKeeper
from catalogsvc.jobs.replica import Replica
from catalogsvc.jobs.transitions import LEASE_EXPIRED, REPLICA_STOPPED, JobTransitions
from catalogsvc.store.models import utc_now
from catalogsvc.store.repository import Store
from tests.conftest_store import new_running_job

REMOTE = "another-host:4242"
LEASE_S = 30.0


@pytest.fixture
def transitions(store: Store) -> JobTransitions:
    return JobTransitions(store, EventBus())


def dead_local_replica() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}"


def status_and_error(store: Store, job_id: str) -> tuple[str, str | None]:
    job = store.get_job(job_id)
    assert job is not None
    return job.status, job.error


def lease_renewed_at(store: Store, job_id: str) -> datetime:
    job = store.get_job(job_id)
    assert job is not None and job.lease_renewed_at is not None
    return job.lease_renewed_at


async def test_a_live_lease_of_another_replica_is_left_alone(
    store: Store, transitions: JobTransitions
) -> None:
    job_id = new_running_job(store, "job", REMOTE)

    for at_start in (True, False):
        assert (
            await transitions.interrupt_abandoned_jobs(Replica("b", LEASE_S), at_start=at_start)
            == []
        )
    assert status_and_error(store, job_id) == ("running", None)


async def test_an_expired_lease_is_interrupted_by_any_replica_and_stays_ended(
    store: Store, transitions: JobTransitions
) -> None:
    job_id = new_running_job(store, "job", REMOTE)
    assert store.renew_leases(REMOTE, utc_now() - timedelta(seconds=LEASE_S + 1)) == 1

    assert await transitions.interrupt_abandoned_jobs(Replica("b", LEASE_S), at_start=False) == [
        job_id
    ]
    assert status_and_error(store, job_id) == ("interrupted", LEASE_EXPIRED)
    assert store.renew_leases(REMOTE, utc_now()) == 0  # an ended job has no lease to renew


def test_a_lease_renewed_after_the_sweep_read_it_keeps_its_job(store: Store) -> None:
    job_id = new_running_job(store, "job", REMOTE)
    expired_before = utc_now()  # the sweep's cut-off; the owner renews just after it
    store.renew_leases(REMOTE, expired_before + timedelta(seconds=1))

    moved = store.transition(
        job_id,
        ACTIVE_STATUSES,
        {"status": JobStatus.interrupted.value},
        lease_expired_before=expired_before,
    )

    assert not moved
    assert status_and_error(store, job_id) == ("running", None)


async def test_a_job_held_by_a_dead_process_of_this_host_is_interrupted_at_once(
    store: Store, transitions: JobTransitions
) -> None:
    dead = new_running_job(store, "dead", dead_local_replica())
    alive = new_running_job(store, "alive", f"{socket.gethostname()}:{os.getppid()}")

    interrupted = await transitions.interrupt_abandoned_jobs(Replica("b", LEASE_S), at_start=False)

    assert interrupted == [dead]
    assert status_and_error(store, dead) == ("interrupted", REPLICA_STOPPED)
    assert status_and_error(store, alive) == ("running", None)


async def test_own_jobs_are_taken_back_only_at_start_up(
    store: Store, transitions: JobTransitions
) -> None:
    me = Replica("me", LEASE_S)
    job_id = new_running_job(store, "job", me.name)
    store.renew_leases(me.name, utc_now() - timedelta(seconds=LEASE_S + 1))

    assert await transitions.interrupt_abandoned_jobs(me, at_start=False) == []
    assert await transitions.interrupt_abandoned_jobs(me, at_start=True) == [job_id]
    assert status_and_error(store, job_id) == ("interrupted", REPLICA_STOPPED)


async def test_jobs_written_before_leases_existed_are_recovered_at_start(
    store: Store, transitions: JobTransitions
) -> None:
    job_id = new_running_job(store, "job", None)

    assert await LeaseKeeper(transitions, Replica("b", LEASE_S)).recover_at_start() == [job_id]


async def test_the_lease_keeper_renews_its_own_jobs_and_ends_an_unrenewed_one(
    store: Store,
) -> None:
    bus = EventBus()
    transitions = JobTransitions(store, bus)
    lease_s = 0.3
    own = new_running_job(store, "own", "b")
    remote = new_running_job(store, "remote", REMOTE)
    first_lease = lease_renewed_at(store, own)
    keeper = asyncio.create_task(LeaseKeeper(transitions, Replica("b", lease_s)).run())
    try:
        async with bus.subscribe(remote) as events:
            event = await asyncio.wait_for(events.get(), timeout=10)
    finally:
        keeper.cancel()

    assert isinstance(event, StatusEvent)
    assert event.status == "interrupted"
    assert status_and_error(store, remote) == ("interrupted", LEASE_EXPIRED)
    assert status_and_error(store, own) == ("running", None)
    assert lease_renewed_at(store, own) > first_lease
