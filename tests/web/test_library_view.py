"""The Library page: search and filter papers across jobs, one entry per work, select papers
on the page and download the selection or the whole query as a catalog, read back by pybtex."""

from __future__ import annotations

from pathlib import Path

from pybtex.database import parse_string  # type: ignore[import-untyped]

from tests.pdf_factory import make_paper_pdf
from tests.server_process import ServerProcess
from tests.web.browser import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402 -- only once require_browser() passed

from tests.web.conftest import save_screenshot  # noqa: E402

PAPERS = [
    ("Heliotrope Fields in Stellar Winds", "Ada Lovelace", 2019),
    ("Tidal Streams of Dwarf Galaxies", "Grace Hopper", 2021),
    ("Sparse Recovery with Random Matrices", "Emmy Noether", 2008),
]


def finished_job(server: ServerProcess, folder: Path) -> str:
    job = server.http.post("/api/jobs/folder", json={"path": str(folder)}).json()
    ended = server.http.get(f"/api/jobs/{job['id']}/events")  # the stream ends with the job
    assert ended.status_code == 200
    assert server.http.get(f"/api/jobs/{job['id']}").json()["status"] == "completed"
    job_id: str = job["id"]
    return job_id


def rows(page: Page) -> list[str]:
    return page.locator("table.library tbody .paper-title").all_text_contents()


def test_search_filter_select_and_download_the_library(
    page: Page, server: ServerProcess, papers_dir: Path
) -> None:
    for index, (title, author, year) in enumerate(PAPERS):
        make_paper_pdf(papers_dir / f"p{index}.pdf", title=title, authors=[author], year=year)
    for _ in range(2):  # the folder twice: every paper has a copy in another job
        finished_job(server, papers_dir)

    page.goto("/#/library")
    expect(page.locator("table.library tbody tr")).to_have_count(6)

    page.get_by_label("Search").fill("heliotrope")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("table.library tbody .paper-title")).to_have_text([PAPERS[0][0]] * 2)

    page.get_by_label("Search").fill("")
    page.get_by_label("From year").fill("2010")
    page.get_by_label("One entry per work").check()
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("table.library .copies")).to_have_text(["(1 other copy)"] * 2)
    assert sorted(rows(page)) == sorted([PAPERS[0][0], PAPERS[1][0]])

    page.get_by_label(f"Select {PAPERS[1][0]}").check()
    page.get_by_label("Format").select_option("bibtex")
    with page.expect_download() as selected:
        page.get_by_role("link", name="Download selected (1)").click()
    with page.expect_download() as everything:
        page.get_by_role("link", name="Download all matching").click()
    save_screenshot(page, "library")

    chosen = parse_string(Path(selected.value.path()).read_text(), "bibtex")
    matching = parse_string(Path(everything.value.path()).read_text(), "bibtex")
    assert [e.fields["title"].strip("{}") for e in chosen.entries.values()] == [PAPERS[1][0]]
    assert sorted(e.fields["year"] for e in matching.entries.values()) == ["2019", "2021"]
