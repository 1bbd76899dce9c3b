"""Papers across jobs, on SQLite and PostgreSQL alike: full-text search by the index over
title, authors, abstract and venue, filters, review flags, owners and paging."""

from __future__ import annotations

from catalogsvc.domain import CategoryAssignment, ExtractedPaper, JobStatus
from catalogsvc.store.library import PaperQuery, search_papers
from catalogsvc.store.records import NewFile
from catalogsvc.store.repository import Store
from tests.conftest_store import new_running_job, record_one

PAPERS = [
    ("Stokes drag on conglomerates of spheres", ["Konrad Hinsen"], 2020, "ReScience C"),
    ("Assortative matching and search", ["Félix Geoffroy"], 2021, "ReScience C"),
    ("Learning multilevel distributed representations", ["Ilya Sutskever"], 2007, None),
    ("Gravitational waves from a binary merger", ["B. P. Abbott"], 2016, "Physical Review Letters"),
]


def stored_job(store: Store, job_id: str, owner: str | None = None) -> None:
    files = [NewFile(f"/p/{job_id}-{i}.pdf", f"{i}.pdf") for i in range(len(PAPERS))]
    new_running_job(store, job_id, files=files)
    if owner is not None:
        store.transition(job_id, [JobStatus.running], {"owner": owner})
    for file, (title, authors, year, venue) in zip(store.list_files(job_id), PAPERS, strict=True):
        extracted = ExtractedPaper(
            sha256=f"{job_id}{title}"[:64].ljust(64, "0"),
            pages=1,
            title=title,
            authors=authors,
            year=year,
            venue=venue,
            abstract=f"We study {title.lower()} with care.",
        )
        assert record_one(store, file, extracted) is not None
    papers = store.list_papers(job_id)
    scores = [CategoryAssignment("Physics", 0.9)] * 3 + [CategoryAssignment("Physics", 0.1)]
    store.set_categories(job_id, [(p.id, s) for p, s in zip(papers, scores, strict=True)])


def titles(store: Store, owner: str | None = None, **asked: object) -> list[str]:
    found = search_papers(store.engine, PaperQuery(**asked), owner)  # type: ignore[arg-type]
    return sorted({paper.title or "" for paper in found})


def test_words_are_found_in_title_authors_abstract_and_venue(store: Store) -> None:
    stored_job(store, "a" * 32)

    assert titles(store, text="spheres") == ["Stokes drag on conglomerates of spheres"]
    assert titles(store, text="sutskever") == ["Learning multilevel distributed representations"]
    assert titles(store, text="physical review") == ["Gravitational waves from a binary merger"]
    assert titles(store, text="care matching") == ["Assortative matching and search"]
    assert titles(store, text='NEAR("*') == [], "the search syntax is never the user's"
    assert len(titles(store, text="rescience")) == 2


def test_filters_combine_and_pages_follow_one_another(store: Store) -> None:
    stored_job(store, "a" * 32)

    assert titles(store, year_from=2016, year_to=2020) == [
        "Gravitational waves from a binary merger",
        "Stokes drag on conglomerates of spheres",
    ]
    assert titles(store, venue="rescience", year_from=2021) == ["Assortative matching and search"]
    assert len(titles(store, category="physics")) == 4, "a category in any case"
    assert (
        titles(store, needs_review=True)
        == [
            "Gravitational waves from a binary merger",  # a category score of 0.1
            "Learning multilevel distributed representations",  # no venue is fine: kept out
        ][:1]
    )
    first = search_papers(store.engine, PaperQuery(limit=3), None)
    rest = search_papers(store.engine, PaperQuery(limit=3, before_id=first[-1].id), None)
    assert len(first) == 3 and len(rest) == 1
    assert {p.id for p in first}.isdisjoint({p.id for p in rest})


def test_a_correction_is_found_by_its_new_words_and_an_owner_sees_only_its_own(
    store: Store,
) -> None:
    stored_job(store, "a" * 32, owner="alice")
    stored_job(store, "b" * 32, owner="bob")
    paper = store.list_papers("a" * 32)[0]
    from catalogsvc.store.paper_edits import correct_paper

    store.transition("a" * 32, [JobStatus.running], {"status": JobStatus.completed.value})
    correct_paper(store.engine, paper.id, {"title": "Corrected heliotrope title"}, "alice")

    assert titles(store, owner="alice", text="heliotrope") == ["Corrected heliotrope title"]
    assert titles(store, owner="bob", text="heliotrope") == []
    assert len(titles(store, owner="bob")) == len(PAPERS)


def test_names_with_accents_are_found_as_written(store: Store) -> None:
    files = [NewFile("/p/accents.pdf", "accents.pdf")]
    new_running_job(store, "c" * 32, files=files)
    (file,) = store.list_files("c" * 32)
    extracted = ExtractedPaper(
        sha256="e" * 64, pages=1, title="Infinite latent features", authors=["Dilan Görür"]
    )
    assert record_one(store, file, extracted) is not None

    assert titles(store, text="Görür") == ["Infinite latent features"]
    assert titles(store, text="u00f6r") == [], "the index holds the name, not its escapes"
