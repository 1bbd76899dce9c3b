"""Several processes on one database: a cancel written elsewhere stops the local job, and a
replica starting up leaves the live jobs of the others alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine
from catalogsvc.store.repository import Store
from tests.conftest import ClientFactory, extraction_worker_pids, wait_until_exited
from tests.gated_extract import release


async def test_a_cancel_written_by_another_replica_stops_the_running_job(
    client_factory: ClientFactory, papers_dir: Path, settings: Settings
) -> None:
    client = await client_factory(extract_workers=1)
    job, _gated = await client.start_held_job(papers_dir)
    (holder,) = extraction_worker_pids()  # the one worker, holding the gated file

    other_engine = create_store_engine(settings.resolved_database_url)
    try:
        other_replica = JobTransitions(Store(other_engine), EventBus())
        assert await other_replica.cancel(job["id"])
        await asyncio.wait_for(client.runner.wait(job["id"]), timeout=5)
    finally:
        other_engine.dispose()

    finished = await client.job(job["id"])
    assert finished["status"] == "cancelled"
    await wait_until_exited(holder, timeout=5)  # the gated file was abandoned, its worker killed


async def test_a_replica_starting_leaves_the_running_job_of_another_alone(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    first = await client_factory(extract_workers=1, replica_id="replica-a")
    job, gated = await first.start_held_job(papers_dir)

    second = await client_factory(replica_id="replica-b")
    seen_by_second = await second.job(job["id"])
    release(gated)
    finished = await first.wait_until_finished(job["id"])

    assert seen_by_second["status"] == "running"
    assert finished["status"] == "completed"
    assert finished["progress"]["papers"] == 1


async def test_after_a_cancel_through_another_replica_the_owner_stores_nothing_more(
    client_factory: ClientFactory, papers_dir: Path, settings: Settings
) -> None:
    """The owner notices the other replica's cancel only at its next look at the store; the
    file it finishes meanwhile is not stored, so the history stays as the cancel answered."""
    client = await client_factory(extract_workers=1)
    job, gated = await client.start_held_job(papers_dir)
    other_engine = create_store_engine(settings.resolved_database_url)
    try:
        other_replica = JobTransitions(Store(other_engine), EventBus())
        assert await other_replica.cancel(job["id"])
        answered = await client.job(job["id"])
        release(gated)
        await asyncio.wait_for(client.runner.wait(job["id"]), timeout=5)
    finally:
        other_engine.dispose()

    finished = await client.job(job["id"])
    assert finished == answered
    assert finished["progress"]["papers"] == 0
