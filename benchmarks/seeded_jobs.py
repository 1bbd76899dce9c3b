"""Finished jobs written straight into a store, for benchmarks of the read path: each with its
files and papers, under the built-in taxonomy a job gets by default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text

from catalogsvc.domain import FileState, JobKind, JobPhase, JobStatus
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.models import JobFileRow, JobRow, PaperRow
from catalogsvc.taxonomies import resolve_taxonomy

BATCH = 5_000


def seed_jobs(url: str, jobs: int, files_per_job: int, *, big_job_files: int = 0) -> list[str]:
    """Store `jobs` ended jobs of `files_per_job` papers each (and, if asked, the newest with
    `big_job_files` instead); their ids, oldest first."""
    engine = create_store_engine(url)
    upgrade_schema(engine)
    taxonomy = resolve_taxonomy(None)
    categories = [category.name for category in taxonomy.categories]
    started = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [f"{0xBE000000 + n:032x}" for n in range(jobs)]
    with engine.begin() as connection:
        rows: list[dict[str, Any]] = []
        for n, job_id in enumerate(ids):
            rows.append(
                {
                    "id": job_id,
                    "name": f"papers-{n}",
                    "source": f"/srv/papers/{n}",
                    # A mix for the history's filters: 1 in 10 failed, 1 in 7 a reclassify.
                    "kind": (JobKind.reclassify if n % 7 == 6 else JobKind.process).value,
                    "status": (JobStatus.failed if n % 10 == 3 else JobStatus.completed).value,
                    "phase": JobPhase.done.value,
                    "taxonomy": taxonomy.model_dump(),
                    "classifier": "offline",
                    "timings": {"extracting": 1.5, "classifying": 0.1, "cataloging": 0.05},
                    "created_at": started + timedelta(minutes=n),
                    "start_time": started + timedelta(minutes=n),
                    "end_time": started + timedelta(minutes=n, seconds=2),
                }
            )
            if len(rows) == BATCH:
                connection.execute(insert(JobRow), rows)
                rows = []
        if rows:
            connection.execute(insert(JobRow), rows)
        for job_id in ids[:-1] if files_per_job else []:
            _seed_papers(connection, job_id, files_per_job, categories)
        if ids and (big_job_files or files_per_job):
            _seed_papers(connection, ids[-1], big_job_files or files_per_job, categories)
    engine.dispose()
    return ids


def _seed_papers(connection: Any, job_id: str, count: int, categories: list[str]) -> None:
    for first in range(0, count, BATCH):
        numbers = range(first, min(count, first + BATCH))
        connection.execute(
            insert(PaperRow),
            [
                {
                    "job_id": job_id,
                    "file_name": f"paper-{n:05d}.pdf",
                    "sha256": f"{job_id}{n:032x}",
                    "title": f"On problem {n} in {categories[n % len(categories)]}",
                    "authors": ["Ada Lovelace", "Charles Babbage"],
                    "year": 1990 + n % 35,
                    "abstract": "We study a problem and find an answer. " * 8,
                    "pages": 1,
                    "warnings": [],
                    "sources": {"title": "pdf"},
                    "method": "text",
                    "category": categories[n % len(categories)],
                    "category_score": 0.8,
                }
                for n in numbers
            ],
        )
        paper_ids = connection.execute(
            text("SELECT id FROM papers WHERE job_id = :job ORDER BY id LIMIT -1 OFFSET :first"),
            {"job": job_id, "first": first},
        ).scalars()
        connection.execute(
            insert(JobFileRow),
            [
                {
                    "job_id": job_id,
                    "position": n,
                    "file_name": f"paper-{n:05d}.pdf",
                    "path": f"/srv/papers/paper-{n:05d}.pdf",
                    "state": FileState.done.value,
                    "paper_id": paper_id,
                    "worker": "bench:1",
                }
                for n, paper_id in zip(numbers, paper_ids, strict=False)
            ],
        )
