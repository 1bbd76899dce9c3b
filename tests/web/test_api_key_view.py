"""A service started with API keys, used from the browser: asked for a key, then used with it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from catalogsvc.settings import Settings
from tests.conftest import write_papers
from tests.server_process import ServerProcess
from tests.web.browser import require_browser
from tests.web.conftest import open_page, save_screenshot

require_browser()

from playwright.sync_api import Browser, Page, expect  # noqa: E402 -- only once require_browser()

KEY = "a-key-for-the-browser"


@pytest.fixture
def keyed_server(settings: Settings) -> Iterator[ServerProcess]:
    running = ServerProcess(settings.model_copy(update={"api_keys": [SecretStr(KEY)]}))
    yield running
    running.close()


@pytest.fixture
def keyed_page(browser: Browser, keyed_server: ServerProcess) -> Iterator[Page]:
    with open_page(browser, keyed_server) as opened:
        yield opened


def test_the_app_asks_for_the_key_then_runs_a_job_with_it(
    keyed_page: Page, papers_dir: Path
) -> None:
    page = keyed_page
    write_papers(papers_dir, 2)
    page.goto("/#/history")
    expect(page.get_by_role("alert")).to_contain_text(
        "This service asks for an API key: enter yours under API key. (HTTP 401)"
    )

    page.get_by_role("link", name="API key").click()
    page.get_by_label("API key", exact=True).fill("not-the-key")
    page.get_by_role("button", name="Save key").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved, but the service refused it")
    page.get_by_label("API key", exact=True).fill(KEY)
    page.get_by_role("button", name="Save key").click()
    expect(page.get_by_role("status")).to_have_text(
        "Saved: this browser now sends the key, and the service accepts it."
    )
    save_screenshot(page, "api-key")

    page.get_by_role("link", name="New job").click()
    page.get_by_label("A folder on the server").check()
    page.get_by_label("Folder path on the server").fill(str(papers_dir))
    page.get_by_role("button", name="Start job").click()
    expect(page).to_have_url(re.compile(r"#/jobs/\w+$"))
    # The live view follows the job through its event stream, which carries the key too.
    expect(page.locator(".title-line .badge")).to_have_text("completed")
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON", exact=True).click()
    catalog = json.loads(Path(download.value.path()).read_text())
    assert sum(len(group["papers"]) for group in catalog["categories"]) == 2

    page.get_by_role("link", name="API key").click()
    page.get_by_role("button", name="Forget key").click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("alert")).to_contain_text("(HTTP 401)")
