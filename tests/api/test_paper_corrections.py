"""PATCH /api/papers/{id}: a user corrects a paper of an ended job; the correction is kept with
the source `user` through every export, a resume and a reclassify."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import rispy  # type: ignore[import-untyped]  # rispy ships no type information

from tests.api.test_cancel import wait_for_papers
from tests.conftest import ServiceClient, write_papers
from tests.gated_extract import release

VENUE = "Journal of Corrected Records"


async def finished_paper(client: ServiceClient, papers_dir: Path) -> dict[str, Any]:
    write_papers(papers_dir, 1)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    (paper,) = await client.papers(job["id"])
    return paper


async def test_a_correction_is_stored_as_user_and_shown_by_every_export(
    client: ServiceClient, papers_dir: Path
) -> None:
    paper = await finished_paper(client, papers_dir)

    answer = await client.http.patch(
        f"/api/papers/{paper['id']}",
        json={
            "venue": VENUE,
            "volume": "12",
            "page_range": "101-118",
            "year": 1999,
            "doi": "https://doi.org/10.5555/Corrected.1",
            "authors": ["Grace Hopper"],
        },
    )

    assert answer.status_code == 200, answer.text
    corrected = answer.json()
    assert (corrected["venue"], corrected["year"], corrected["doi"]) == (
        VENUE,
        1999,
        "10.5555/Corrected.1",
    )
    assert {corrected["sources"][f] for f in ("venue", "year", "doi", "authors")} == {"user"}
    assert corrected["sources"]["title"] == "pdf", "fields not corrected keep their source"
    assert (await client.http.get(f"/api/papers/{paper['id']}")).json() == corrected
    for fmt in ("markdown", "html", "json", "bibtex", "csv", "csl-json", "ris"):
        catalog = await client.http.get(
            f"/api/jobs/{paper['job_id']}/catalog", params={"format": fmt}
        )
        assert VENUE in catalog.text and "Hopper" in catalog.text, fmt
    ris = await client.http.get(f"/api/jobs/{paper['job_id']}/catalog", params={"format": "ris"})
    (record,) = rispy.loads(ris.text)
    assert (record["journal_name"], record["volume"], record["start_page"]) == (VENUE, "12", "101")


async def test_bad_values_are_422_naming_the_field_and_change_nothing(
    client: ServiceClient, papers_dir: Path
) -> None:
    paper = await finished_paper(client, papers_dir)
    url = f"/api/papers/{paper['id']}"

    cases = {
        "doi": {"doi": "not a doi"},
        "year": {"year": 999},
        "category": {"category": "Astrology"},
        "colour": {"colour": "red"},
    }
    for field, body in cases.items():
        answer = await client.http.patch(url, json=body)
        assert answer.status_code == 422, (field, answer.text)
        assert field in json.dumps(answer.json()["detail"]), answer.text

    assert (await client.http.get(url)).json() == (await client.papers(paper["job_id"]))[0]
    assert (await client.http.get(url)).json()["sources"].get("doi") != "user"


async def test_an_unknown_paper_is_404_and_a_running_jobs_paper_is_409(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1, prefix="a")
    job, gated = await client.start_held_job(papers_dir, "z-gated.pdf")
    try:
        await wait_for_papers(client, job["id"], 1)
        (stored,) = await client.papers(job["id"])
        answer = await client.http.patch(f"/api/papers/{stored['id']}", json={"year": 2001})
        assert answer.status_code == 409, answer.text
        assert "still running" in answer.json()["detail"]
    finally:
        release(gated)
    missing = await client.http.patch("/api/papers/999999", json={"year": 2001})
    assert missing.status_code == 404


async def test_a_reclassify_keeps_a_user_category_unless_asked_to_overwrite_it(
    client: ServiceClient, papers_dir: Path
) -> None:
    paper = await finished_paper(client, papers_dir)
    taxonomy = (await client.job(paper["job_id"]))["taxonomy"]["categories"]
    chosen = next(c["name"] for c in taxonomy if c["name"] != paper["category"])
    await client.http.patch(f"/api/papers/{paper['id']}", json={"category": chosen, "venue": VENUE})

    kept = await client.http.post(f"/api/jobs/{paper['job_id']}/reclassify")
    await client.wait_until_finished(kept.json()["id"])
    (reclassified,) = await client.papers(kept.json()["id"])
    replaced = await client.http.post(
        f"/api/jobs/{paper['job_id']}/reclassify", json={"overwrite_user_categories": True}
    )
    await client.wait_until_finished(replaced.json()["id"])
    (overwritten,) = await client.papers(replaced.json()["id"])

    assert (reclassified["category"], reclassified["sources"]["category"]) == (chosen, "user")
    assert reclassified["venue"] == VENUE and reclassified["sources"]["venue"] == "user"
    assert overwritten["category"] == paper["category"]
    assert "category" not in overwritten["sources"]
    assert overwritten["venue"] == VENUE, "only the category is overwritten"


async def test_a_paper_id_beyond_a_database_integer_is_422_naming_it(
    client: ServiceClient,
) -> None:
    for method in ("GET", "PATCH"):
        answer = await client.http.request(method, "/api/papers/6394081629046593028096", json={})
        assert answer.status_code == 422, (method, answer.text)
        assert answer.json()["detail"][0]["loc"] == ["path", "paper_id"]


async def test_null_clears_a_field_and_authors_become_none(
    client: ServiceClient, papers_dir: Path
) -> None:
    paper = await finished_paper(client, papers_dir)

    answer = await client.http.patch(
        f"/api/papers/{paper['id']}", json={"authors": None, "year": None, "doi": None}
    )

    assert answer.status_code == 200, answer.text
    assert (answer.json()["authors"], answer.json()["year"], answer.json()["doi"]) == (
        [],
        None,
        None,
    )
    (listed,) = await client.papers(paper["job_id"])
    assert listed == answer.json()


async def test_a_correction_of_a_cancelled_jobs_paper_survives_its_resume(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1, prefix="a")
    job, gated = await client.start_held_job(papers_dir, "z-gated.pdf")
    await wait_for_papers(client, job["id"], 1)
    await client.http.post(f"/api/jobs/{job['id']}/cancel")
    (stored,) = await client.papers(job["id"])
    corrected = await client.http.patch(f"/api/papers/{stored['id']}", json={"venue": VENUE})
    assert corrected.status_code == 200, corrected.text
    release(gated)

    child = await client.http.post(f"/api/jobs/{job['id']}/resume")
    await client.wait_until_finished(child.json()["id"])
    papers = {p["file_name"]: p for p in await client.papers(child.json()["id"])}

    assert set(papers) == {"a0.pdf", "z-gated.pdf"}
    assert (papers["a0.pdf"]["venue"], papers["a0.pdf"]["sources"]["venue"]) == (VENUE, "user")


async def test_the_type_publisher_and_issn_are_corrected_and_the_entry_type_follows(
    client: ServiceClient, papers_dir: Path
) -> None:
    paper = await finished_paper(client, papers_dir)
    url = f"/api/papers/{paper['id']}"

    bad = await client.http.patch(url, json={"issn": "12345678"})
    answer = await client.http.patch(
        url,
        json={"type": "proceedings-paper", "venue": "Proc. of Tests", "publisher": "ACM"},
    )
    bibtex = await client.http.get(
        f"/api/jobs/{paper['job_id']}/catalog", params={"format": "bibtex"}
    )

    assert bad.status_code == 422 and "issn" in json.dumps(bad.json()["detail"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["sources"]["type"] == "user"
    assert "@inproceedings{" in bibtex.text and "booktitle = {Proc. of Tests}" in bibtex.text


async def test_control_characters_are_dropped_and_a_blank_value_is_refused(
    client: ServiceClient, papers_dir: Path
) -> None:
    paper = await finished_paper(client, papers_dir)
    url = f"/api/papers/{paper['id']}"

    cleaned = await client.http.patch(url, json={"title": "A\x00 title\x1b[31m with\tcontrols"})
    blank = await client.http.patch(url, json={"title": "   "})
    broken_doi = await client.http.patch(url, json={"doi": "10.1000/ab\ncd"})

    assert cleaned.json()["title"] == "A title [31m with controls"
    assert blank.status_code == 422 and "title" in json.dumps(blank.json()["detail"])
    assert broken_doi.status_code == 422 and "doi" in json.dumps(broken_doi.json()["detail"])


async def test_one_category_of_a_job_downloads_in_every_format(
    client: ServiceClient, papers_dir: Path
) -> None:
    await asyncio.to_thread(write_papers, papers_dir, 3)
    job = await client.folder_job(papers_dir)
    await client.wait_until_finished(job["id"])
    first, *_ = await client.papers(job["id"])
    await client.http.patch(f"/api/papers/{first['id']}", json={"category": "Mathematics"})
    others = {p["category"] for p in await client.papers(job["id"])} - {"Mathematics"}

    for fmt in ("markdown", "html", "json", "bibtex", "csv", "csl-json", "ris"):
        answer = await client.http.get(
            f"/api/jobs/{job['id']}/catalog", params={"format": fmt, "category": "Mathematics"}
        )
        assert answer.status_code == 200, fmt
        assert first["title"][:30] in answer.text, fmt
    catalog = (
        await client.http.get(
            f"/api/jobs/{job['id']}/catalog", params={"format": "json", "category": "Mathematics"}
        )
    ).json()
    assert [group["name"] for group in catalog["categories"]] == ["Mathematics"]
    assert sum(len(group["papers"]) for group in catalog["categories"]) == 1
    assert not others & {group["name"] for group in catalog["categories"]}
