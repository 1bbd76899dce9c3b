"""Real stores (SQLite, PostgreSQL) for tests of the store and of status changes, and rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from catalogsvc.domain import ExtractedPaper, JobKind, JobPhase, JobStatus
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.file_results import FileAlreadyEnded, StoredFile
from catalogsvc.store.models import JobFileRow, JobRow, utc_now
from catalogsvc.store.repository import NewFile, Store
from tests.postgres_server import PostgresServer


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on a real SQLite file, and again on a real PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jobs.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    engine = create_store_engine(url)
    upgrade_schema(engine)
    yield Store(engine)
    engine.dispose()


def new_running_job(
    store: Store, job_id: str, replica: str | None = None, files: Sequence[NewFile] = ()
) -> str:
    """A running job with `files`, held by `replica` with a lease renewed just now."""
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
        files,
    )
    return job_id


def record_one(
    store: Store, file: JobFileRow, extracted: ExtractedPaper, *, worker: str = "w"
) -> StoredFile | None:
    """One file's paper stored as the pipeline stores a batch: None once the job has ended;
    FileAlreadyEnded when another worker stored the file first."""
    stored = store.record_extracted_batch(file.job_id, [(file, extracted)], worker=worker)
    if stored is None:
        return None
    if stored[0] is None:
        raise FileAlreadyEnded(f"file {file.id} was ended by another worker")
    return stored[0]
