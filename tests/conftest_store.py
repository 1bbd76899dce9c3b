"""A real SQLite store for tests of the store and of status changes, and rows to put in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogsvc.domain import JobKind, JobPhase, JobStatus
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.models import JobRow, utc_now
from catalogsvc.store.repository import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
    upgrade_schema(engine)
    yield Store(engine)
    engine.dispose()


def new_running_job(store: Store, job_id: str, replica: str | None = None) -> str:
    """A running job without files, held by `replica` with a lease renewed just now."""
    store.create_job(
        JobRow(
            id=job_id,
            kind=JobKind.process.value,
            status=JobStatus.running.value,
            phase=JobPhase.extracting.value,
            taxonomy={"name": "t", "categories": []},
            classifier="offline",
            replica=replica,
            lease_renewed_at=utc_now(),
        ),
        [],
    )
    return job_id
