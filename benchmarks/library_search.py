"""Library queries over many papers on SQLite: p50/p99 of GET /api/papers-like searches.

The papers are the labelled arXiv titles and abstracts (../shared/labelled/arxiv.jsonl),
repeated to PAPERS rows across 100 jobs, stored through the same schema (the FTS5 index kept
by its triggers). Each query kind runs QUERIES times; a plain id-ordered page is the baseline.

Run: .venv/bin/python -m benchmarks.library_search [PAPERS] [QUERIES]   (defaults 100000, 200)
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from catalogsvc.domain import JobKind, JobPhase, JobStatus
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.library import PaperQuery, search_papers
from catalogsvc.store.models import JobRow, PaperRow
from catalogsvc.store.works import search_works

LABELLED = Path(__file__).resolve().parents[2] / "shared" / "labelled" / "arxiv.jsonl"
JOBS = 100


def fill(url: str, papers: int) -> list[str]:
    """`papers` rows over JOBS jobs; the words of their titles, to search for."""
    rows = [json.loads(line) for line in LABELLED.read_text().splitlines() if line]
    engine = create_store_engine(url)
    upgrade_schema(engine)
    with engine.begin() as connection:
        for job in range(JOBS):
            connection.execute(
                insert(JobRow),
                [
                    {
                        "id": f"{job:032x}",
                        "kind": JobKind.process.value,
                        "status": JobStatus.completed.value,
                        "phase": JobPhase.done.value,
                        "taxonomy": {"name": "t", "categories": []},
                        "classifier": "offline",
                        "timings": {},
                        "seq": job + 1,
                    }
                ],
            )
        batch = []
        for index in range(papers):
            row = rows[index % len(rows)]
            batch.append(
                {
                    "job_id": f"{index % JOBS:032x}",
                    "file_name": f"{index}.pdf",
                    "sha256": f"{index:064x}",
                    "title": row.get("title"),
                    "authors": ["A. Author"],
                    "year": 1990 + index % 35,
                    "abstract": row.get("abstract"),
                    "venue": "arXiv preprint",
                    "pages": 1,
                    "warnings": [],
                    "sources": {},
                    "method": "text",
                    "category": "Physics" if index % 3 else "Mathematics",
                    "category_score": (index % 10) / 10,
                }
            )
            if len(batch) == 5000:
                connection.execute(insert(PaperRow), batch)
                batch = []
        if batch:
            connection.execute(insert(PaperRow), batch)
    engine.dispose()
    return [
        word for row in rows[:500] for word in (row.get("title") or "").split() if len(word) > 5
    ]


def timed(url: str, queries: list[PaperQuery], per_work: bool = False) -> list[float]:
    search = search_works if per_work else search_papers
    engine = create_store_engine(url)
    try:
        search(engine, queries[0], None)  # the first connection opens the file
        seconds = []
        for query in queries:
            started = time.perf_counter()
            search(engine, query, None)
            seconds.append((time.perf_counter() - started) * 1000)
        return seconds
    finally:
        engine.dispose()


def main(papers: int, count: int) -> None:
    if not LABELLED.is_file():
        sys.exit(f"needs {LABELLED}")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/library.db"
        started = time.perf_counter()
        words = fill(url, papers)
        print(f"{papers} papers stored and indexed in {time.perf_counter() - started:.1f} s")
        pick = random.Random(7)
        kinds = {
            "first page, no search (baseline)": [PaperQuery() for _ in range(count)],
            "one word": [PaperQuery(text=pick.choice(words)) for _ in range(count)],
            "two words": [
                PaperQuery(text=f"{pick.choice(words)} {pick.choice(words)}") for _ in range(count)
            ],
            "word + category + years": [
                PaperQuery(text=pick.choice(words), category="Physics", year_from=2000)
                for _ in range(count)
            ],
            "needs review, one job": [
                PaperQuery(needs_review=True, job_id=f"{pick.randrange(JOBS):032x}")
                for _ in range(count)
            ],
        }
        kinds["one entry per work, first page"] = [PaperQuery() for _ in range(count)]
        kinds["one entry per work, one word"] = [
            PaperQuery(text=pick.choice(words)) for _ in range(count)
        ]
        for name, queries in kinds.items():
            ms = sorted(timed(url, queries, per_work=name.startswith("one entry per work")))
            p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
            print(f"{name:34} p50 {statistics.median(ms):6.2f} ms  p99 {p99:6.2f} ms")


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*arguments) if arguments else main(100_000, 200)
