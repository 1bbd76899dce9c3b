"""The same work catalogued twice is found, on SQLite and PostgreSQL alike: one pair per rule
(DOI, arXiv id, file content, near-identical title with first author and year) and the near
misses that must not pair."""

from __future__ import annotations

from typing import Any

from catalogsvc.domain import ExtractedPaper, Paper
from catalogsvc.store.duplicates import duplicates_of
from catalogsvc.store.library import PaperQuery
from catalogsvc.store.records import NewFile
from catalogsvc.store.repository import Store
from catalogsvc.store.works import search_works
from tests.conftest_store import new_running_job, record_one


def stored(store: Store, job_id: str, papers: list[dict[str, Any]]) -> list[Paper]:
    files = [NewFile(f"/p/{job_id}-{i}.pdf", f"{i}.pdf") for i in range(len(papers))]
    new_running_job(store, job_id, files=files)
    for file, fields in zip(store.list_files(job_id), papers, strict=True):
        assert record_one(store, file, ExtractedPaper(pages=1, **fields)) is not None
    return store.list_papers(job_id)


def sha(n: int) -> str:
    return f"{n:064x}"


def test_one_pair_per_rule_and_no_near_miss(store: Store) -> None:
    one = stored(
        store,
        "a" * 32,
        [
            {"sha256": sha(1), "title": "Gravitational Waves", "doi": "10.1103/PRL.1"},
            {"sha256": sha(2), "title": "Lensing", "arxiv_id": "1511.01097"},
            {"sha256": sha(3), "title": "Scanned Notes"},
            {"sha256": sha(4), "title": "Cross-Validation of Models", "authors": ["Ann Smith"],
             "year": 2020},
            {"sha256": sha(5), "title": "Periodic Structures", "authors": ["Kirk Jordan"],
             "year": 1986},
        ],
    )  # fmt: skip
    two = stored(
        store,
        "b" * 32,
        [
            {"sha256": sha(11), "title": "Observation of waves", "doi": "10.1103/prl.1"},
            {"sha256": sha(12), "title": "Strong lensing", "arxiv_id": "1511.01097"},
            {"sha256": sha(3), "title": "Notes, scanned again"},
            {"sha256": sha(14), "title": "Cross Validation of Models", "authors": ["A. Smith"],
             "year": 2020},
            {"sha256": sha(15), "title": "Aperiodic Structures", "authors": ["Kirk Jordan"],
             "year": 1986},
            {"sha256": sha(16), "title": "Cross-Validation of Models", "authors": ["Ann Smith"],
             "year": 2009},
        ],
    )  # fmt: skip

    pairs = [[p.id for p in duplicates_of(store.engine, paper, None)] for paper in one]

    assert pairs[:4] == [[two[0].id], [two[1].id], [two[2].id], [two[3].id]]
    assert pairs[4] == [], "Aperiodic is not Periodic"
    assert two[5].id not in pairs[3], "the same title in another year is another work"


def test_one_entry_per_work_is_the_newest_copy_the_query_finds(store: Store) -> None:
    old = stored(
        store,
        "a" * 32,
        [
            {"sha256": sha(1), "title": "Scanned Notes"},
            {"sha256": sha(2), "title": "Lensing", "arxiv_id": "1511.01097"},
            {"sha256": sha(4), "title": "Unique Work"},
        ],
    )
    new = stored(
        store,
        "b" * 32,
        [
            {"sha256": sha(1), "title": "Notes, scanned again"},
            {"sha256": sha(12), "title": "Strong lensing", "arxiv_id": "1511.01097"},
        ],
    )

    every, cursor = search_works(store.engine, PaperQuery(), None)
    notes, _ = search_works(store.engine, PaperQuery(text="scanned notes"), None)
    in_old_job, _ = search_works(store.engine, PaperQuery(job_id="a" * 32), None)
    first, after = search_works(store.engine, PaperQuery(limit=2), None)
    rest, end = search_works(store.engine, PaperQuery(limit=2, before_id=after), None)

    newest_first = [new[1].id, new[0].id, old[2].id]
    assert [work.paper.id for work in every] == newest_first and cursor is None
    assert [work.others for work in every] == [[old[1].id], [old[0].id], []]
    assert [work.paper.id for work in notes] == [new[0].id], "both copies match: the newer one"
    assert [work.paper.id for work in first + rest] == newest_first and end is None
    assert [work.paper.id for work in in_old_job] == [p.id for p in reversed(old)], (
        "outside the newer copies' job, the older copies stand for their works"
    )
