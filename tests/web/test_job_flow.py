"""Upload PDFs in the browser, watch the job, cancel it, find it in History, download, resume."""

from __future__ import annotations

import json
import re
from pathlib import Path

from catalogsvc.settings import Settings
from tests.conftest import write_papers
from tests.gated_extract import gated_pdf
from tests.server_process import ServerProcess
from tests.web.browser import require_browser
from tests.web.conftest import save_screenshot

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402 -- only once require_browser() passed


def release_gated_uploads(settings: Settings, job_id: str) -> None:
    for held in (settings.uploads_dir / job_id).glob("*gated.pdf"):
        Path(f"{held}.release").touch()


def test_a_cancelled_upload_keeps_its_papers_shows_in_history_and_resumes(
    page: Page, server: ServerProcess, papers_dir: Path, settings: Settings
) -> None:
    """The whole life of an uploaded job, as a user sees it."""
    pdfs = [*write_papers(papers_dir, 2, prefix="a"), gated_pdf(papers_dir, "z-gated.pdf")]
    page.goto("/")
    page.get_by_label("Choose PDF files").set_input_files(pdfs)
    expect(page.get_by_text("3 files chosen")).to_be_visible()
    save_screenshot(page, "new-job")

    page.get_by_role("button", name="Start job").click()
    expect(page).to_have_url(re.compile(r"#/jobs/\w+$"))
    job_id = page.url.rsplit("/", 1)[1]
    # Files run one at a time; the gated one holds, so progress stops at 2 of 3 with it current.
    expect(page.get_by_text("2 of 3 files done · 2 papers")).to_be_visible()
    expect(page.locator(".current-file")).to_have_text("z-gated.pdf")
    expect(page.locator(".title-line .badge")).to_have_text("running")
    rows = page.locator("table.papers tbody tr:not(.group)")
    expect(rows).to_have_count(2)
    save_screenshot(page, "live")

    page.get_by_role("button", name="Cancel job").click()
    expect(page.locator(".title-line .badge")).to_have_text("cancelled", timeout=3_000)
    expect(page.get_by_text("Stopped: Cancelled by user")).to_be_visible()
    expect(rows).to_have_count(2)
    expect(page.get_by_role("button", name="Cancel job")).to_be_hidden()

    page.get_by_role("link", name="History").click()
    page.get_by_label("cancelled").check()
    expect(page).to_have_url(re.compile(r"#/history\?status=cancelled$"))
    row = page.locator(f'tr[data-job-id="{job_id}"]')
    expect(row.locator(".badge")).to_have_text("cancelled")
    expect(row).to_contain_text("2 papers from 3 files")
    expect(row).to_contain_text("upload")
    save_screenshot(page, "history")

    row.get_by_role("link", name="a0.pdf and 2 more").click()
    expect(page.get_by_role("heading", name="Download the partial catalog")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON (partial)", exact=True).click()
    catalog = json.loads(Path(download.value.path()).read_text())
    assert catalog["partial"] is True
    titles = sorted(p["title"] for c in catalog["categories"] for p in c["papers"])
    assert [t[:32] for t in titles] == ["On the Structure of Test Paper N"] * 2
    save_screenshot(page, "job-detail")

    release_gated_uploads(settings, job_id)
    page.get_by_role("button", name="Resume").click()
    expect(page).not_to_have_url(re.compile(f"{job_id}$"))
    expect(page.locator(".title-line .badge")).to_have_text("completed")
    expect(page.get_by_text("3 of 3 files done")).to_be_visible()
    expect(rows).to_have_count(3)
    expect(page.get_by_role("link", name=f"job {job_id[:8]}")).to_be_visible()
    expect(page.get_by_role("link", name="Markdown", exact=True)).to_be_visible()


def test_a_paper_is_corrected_in_place_and_says_where_its_fields_came_from(
    page: Page, server: ServerProcess, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    page.goto("/")
    page.get_by_label("Choose PDF files").set_input_files(list(papers_dir.glob("*.pdf")))
    page.get_by_role("button", name="Start job").click()
    expect(page.locator(".title-line .badge")).to_have_text("completed")
    row = page.locator("table.papers tbody tr:not(.group)").first
    expect(row.locator('td[data-label="Title"]')).to_have_attribute("title", "from pdf")

    row.get_by_role("button", name=re.compile(r"^Edit On the Structure")).click()
    editor = page.get_by_role("form", name=re.compile(r"^Correct On the Structure"))
    editor.get_by_label("Venue").fill("Journal of Hand-Made Corrections")
    editor.get_by_label("Year").fill("1999")
    editor.get_by_role("button", name="Save correction").click()

    expect(editor).to_be_hidden()
    expect(page.get_by_text(re.compile(r"^Correction saved: On the Structure"))).to_be_visible()
    venue = row.locator('td[data-label="Venue"]')
    expect(venue).to_have_text("Journal of Hand-Made Corrections")
    expect(venue).to_have_attribute("title", "from your correction")
    expect(row.locator('td[data-label="Year"]')).to_have_text("1999")
    save_screenshot(page, "paper-corrected")
    job_id = page.url.rsplit("/", 1)[1]
    (paper,) = json.loads(page.request.get(f"/api/jobs/{job_id}/papers").text())
    assert (paper["venue"], paper["year"], paper["sources"]["venue"]) == (
        "Journal of Hand-Made Corrections",
        1999,
        "user",
    )


def test_a_resumed_job_links_to_its_child_and_a_child_says_its_parent_was_deleted(
    page: Page, server: ServerProcess, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1, prefix="a")
    gated = gated_pdf(papers_dir, "z-gated.pdf")
    parent = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)}).json()
    page.goto(f"/#/jobs/{parent['id']}")
    expect(page.get_by_text("1 of 2 files done")).to_be_visible()
    server.http.post(f"/api/jobs/{parent['id']}/cancel")
    Path(f"{gated}.release").touch()
    child = server.http.post(f"/api/jobs/{parent['id']}/resume", json={}).json()

    page.reload()
    expect(page.get_by_role("heading", name="Resumed")).to_be_visible()
    expect(page.get_by_role("button", name="Resume")).to_have_count(0)
    page.get_by_role("link", name=f"job {child['id'][:8]}").click()
    expect(page.locator(".title-line .badge")).to_have_text("completed")
    expect(page.get_by_role("link", name=f"job {parent['id'][:8]}")).to_be_visible()

    assert server.http.delete(f"/api/jobs/{parent['id']}").status_code == 204
    page.reload()
    expect(page.get_by_text(f"from job {parent['id'][:8]} (deleted)")).to_be_visible()
    expect(page.get_by_role("link", name=f"job {parent['id'][:8]}")).to_have_count(0)
