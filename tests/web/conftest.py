"""Fixtures for the browser tests: the real service in a subprocess, headless Chromium, a page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import REPO_ROOT
from tests.server_process import ServerProcess
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, require_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCREENSHOTS_DIR = REPO_ROOT / "artifacts" / "screenshots"
# Generous: a loaded CI machine starts worker processes slowly; a passing test never waits it out.
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_browser()
    from playwright.sync_api import sync_playwright  # only once the check above has passed

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def base_url(server: ServerProcess) -> str:
    return f"http://127.0.0.1:{server.port}"


@contextmanager
def open_page(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    """A fresh desktop-sized page on a running service; any script error fails the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(
        base_url=base_url(server), viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"script errors in the page: {errors}"


@pytest.fixture
def page(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    """A page on the `server` fixture's service."""
    with open_page(browser, server) as opened:
        yield opened


def save_screenshot(page: Page, name: str) -> Path:
    """Write a full-page screenshot into artifacts/screenshots (kept by CI, ignored by git)."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
