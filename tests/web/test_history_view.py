"""The History view: batch cancel of running jobs, and paging through the jobs by cursor."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_papers
from tests.gated_extract import gated_pdf
from tests.server_process import ServerProcess
from tests.web.browser import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402 -- only once require_browser() passed


def start_folder_job(server: ServerProcess, folder: Path) -> str:
    response = server.http.post("/api/jobs/folder", json={"path": str(folder)})
    assert response.status_code == 202, response.text
    job_id: str = response.json()["id"]
    return job_id


def test_cancel_selected_cancels_two_running_jobs_at_once(
    page: Page, server: ServerProcess, papers_dir: Path
) -> None:
    """Each job holds on a gated file, so both are still active when the batch cancel lands."""
    job_ids = []
    for name in ("first", "second"):
        folder = papers_dir / name
        folder.mkdir()
        write_papers(folder, 1, prefix=name)
        gated_pdf(folder, f"{name}-gated.pdf")
        job_ids.append(start_folder_job(server, folder))

    page.goto("/#/history")
    for job_id in job_ids:
        row = page.locator(f'tr[data-job-id="{job_id}"]')
        expect(row.locator(".badge")).to_have_text("running")
        row.get_by_label(f"Select job {job_id[:8]}").check()
    page.get_by_role("button", name="Cancel selected (2)").click()

    expect(page.get_by_role("status")).to_contain_text("2 jobs cancelled")
    for job_id in job_ids:
        expect(page.locator(f'tr[data-job-id="{job_id}"] .badge')).to_have_text("cancelled")
        assert server.http.get(f"/api/jobs/{job_id}").json()["status"] == "cancelled"
    expect(page.get_by_role("button", name="Cancel selected")).to_be_disabled()


def test_next_and_previous_page_through_the_history_newest_first(
    page: Page, server: ServerProcess, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    job_ids = [start_folder_job(server, papers_dir) for _ in range(3)]
    rows = page.locator("table.history tbody tr")

    page.goto("/#/history?limit=2")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-job-id", job_ids[2])
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()

    page.get_by_role("button", name="Next").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-job-id", job_ids[0])
    expect(page.get_by_role("button", name="Next")).to_be_disabled()

    page.get_by_role("button", name="Previous").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_have_attribute("data-job-id", job_ids[1])
