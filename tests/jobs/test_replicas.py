"""Several processes on one database: a cancel written elsewhere stops the local job."""

from __future__ import annotations

import asyncio
from pathlib import Path

from catalogsvc.jobs.events import EventBus
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine
from catalogsvc.store.repository import Store
from tests.conftest import ClientFactory


async def test_a_cancel_written_by_another_replica_stops_the_running_job(
    client_factory: ClientFactory, papers_dir: Path, settings: Settings
) -> None:
    client = await client_factory(extract_workers=1)
    job, gated = await client.start_held_job(papers_dir)

    other_engine = create_store_engine(settings.resolved_database_url)
    try:
        other_replica = JobTransitions(Store(other_engine), EventBus())
        assert await other_replica.cancel(job["id"])
        await asyncio.wait_for(client.runner.wait(job["id"]), timeout=5)
    finally:
        other_engine.dispose()

    finished = (await client.http.get(f"/api/jobs/{job['id']}")).json()
    assert finished["status"] == "cancelled"
    assert not Path(f"{gated}.release").exists()
