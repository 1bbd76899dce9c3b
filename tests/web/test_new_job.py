"""The New job view: folder jobs, custom taxonomies, untrusted text, errors, phone width."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import write_papers
from tests.pdf_factory import make_paper_pdf
from tests.server_process import ServerProcess
from tests.web.browser import require_browser
from tests.web.conftest import base_url, save_screenshot

require_browser()

from playwright.sync_api import Browser, Dialog, Page, expect  # noqa: E402 -- only once require_browser() passed

HOSTILE_TITLE = "<img src=x onerror=alert(1)> Markup in Paper Titles Considered Harmful"


def test_a_paper_title_made_of_html_is_shown_as_text_not_parsed(
    page: Page, server: ServerProcess, papers_dir: Path
) -> None:
    """A folder job (subfolders included) with custom categories, started from the keyboard."""
    (papers_dir / "nested").mkdir()
    make_paper_pdf(
        papers_dir / "nested" / "hostile.pdf",
        title=HOSTILE_TITLE,
        authors=["Mallory Example"],
        abstract="We inject markup into metadata and watch web pages render it. " * 3,
        year=2023,
    )
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto("/")
    page.get_by_label("A folder on the server").check()
    page.get_by_label("Folder path on the server").fill(str(papers_dir))
    page.get_by_label("Include subfolders").check()
    page.get_by_label("Classify into").select_option(label="Custom categories…")
    page.get_by_label("Custom categories").fill("Security: attacks, injection, markup\nOther")
    page.get_by_role("button", name="Start job").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".title-line .badge")).to_have_text("completed")
    expect(page.locator(".paper-title")).to_have_text(HOSTILE_TITLE)
    expect(page.locator("main img")).to_have_count(0)
    expect(page.locator("tr.group th")).to_have_text(re.compile(r"^(Security|Other) \(1\)$"))
    assert dialogs == []

    year = page.get_by_role("button", name="Year")
    year.focus()
    page.keyboard.press("Enter")
    expect(page.locator("th", has=year)).to_have_attribute("aria-sort", "ascending")


def test_errors_from_the_api_are_shown_in_words(page: Page, server: ServerProcess) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start job").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The job could not be started: Choose at least one PDF file first."
    )

    page.get_by_label("A folder on the server").check()
    page.get_by_label("Folder path on the server").fill("/etc")
    page.get_by_role("button", name="Start job").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The job could not be started: /etc lies outside CATALOGSVC_ALLOWED_ROOTS (HTTP 403)"
    )

    page.get_by_label("Classify into").select_option(label="Custom categories…")
    page.get_by_role("button", name="Start job").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Type at least one custom category, one per line."
    )

    page.goto("/#/jobs/0123456789abcdef")
    expect(page.get_by_role("alert")).to_contain_text("The job could not be loaded:")
    expect(page.get_by_role("alert")).to_contain_text("(HTTP 404)")


def test_every_view_fits_a_phone_screen(
    browser: Browser, server: ServerProcess, papers_dir: Path
) -> None:
    """At 375 px nothing scrolls sideways; tables turn into one labelled card per row."""
    write_papers(papers_dir, 1)
    job = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)}).json()
    context = browser.new_context(base_url=base_url(server), viewport={"width": 375, "height": 740})
    page = context.new_page()
    views = [
        ("/#/new", "new-job-phone", page.get_by_label("Classify into"), "research-fields"),
        ("/#/history", "history-phone", page.locator("table.history"), job["id"][:8]),
        (f"/#/jobs/{job['id']}", "job-phone", page.locator(".title-line"), "completed"),
    ]
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    for route, name, ready, text in views:
        page.goto(route)
        expect(ready).to_contain_text(text)
        assert page.evaluate(overflow) == 0, f"{route} scrolls sideways at 375 px"
        save_screenshot(page, name)
    context.close()
