"""Swagger UI and ReDoc work with no internet, and "Try it out" on POST /api/jobs uploads a PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pdf_factory import make_paper_pdf
from tests.server_process import ServerProcess
from tests.web.browser import require_browser
from tests.web.conftest import base_url, open_page

require_browser()

from playwright.sync_api import Browser, Page, Route, expect  # noqa: E402 -- only once require_browser() passed

# ReDoc's footer shows this logo from its CDN, and drops it when the request fails.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


class OfflinePage:
    """A page whose requests to anywhere but the service are aborted and recorded."""

    def __init__(self, page: Page, origin: str) -> None:
        self.page = page
        self.origin = origin
        self.blocked: list[str] = []
        # Only foreign requests are routed: Chromium loses an intercepted upload's file parts.
        page.context.route(self._is_foreign, self._abort)

    def _is_foreign(self, url: str) -> bool:
        return not (url == self.origin or url.startswith(f"{self.origin}/"))

    def _abort(self, route: Route) -> None:
        self.blocked.append(route.request.url)
        route.abort("internetdisconnected")


@pytest.fixture
def offline(browser: Browser, server: ServerProcess) -> Iterator[OfflinePage]:
    with open_page(browser, server) as page:
        yield OfflinePage(page, base_url(server))


def test_try_it_out_uploads_a_pdf_as_a_job_with_no_internet(
    offline: OfflinePage, tmp_path: Path
) -> None:
    """Swagger UI renders from the service alone; its upload form sends multipart and gets 202."""
    pdf = make_paper_pdf(
        tmp_path / "uploaded.pdf",
        title="Uploading Papers Through Swagger UI Without Any Network",
        authors=["Grace Hopper"],
        abstract="We upload a paper from a documentation page with the network unplugged. " * 3,
        year=2024,
    )
    page = offline.page
    page.goto("/docs")
    operation = page.locator("#operations-jobs-submit_upload_job_api_jobs_post")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()

    expect(operation.get_by_label("Request content type")).to_have_value("multipart/form-data")
    taxonomy = operation.locator("tr[data-property-name='taxonomy'] input[type=text]")
    expect(taxonomy).not_to_have_value("string")
    operation.locator("input[type=file]").set_input_files(pdf)
    operation.get_by_role("button", name="Execute").click()

    status = operation.locator(".live-responses-table .response .response-col_status")
    expect(status).to_have_text("202")
    body = operation.locator(".live-responses-table .response .response-col_description")
    expect(body).to_contain_text('"kind": "process"')
    assert offline.blocked == []


def test_redoc_renders_with_no_internet(offline: OfflinePage) -> None:
    """ReDoc renders the API; only its attribution logo is fetched, and hides itself offline."""
    page = offline.page
    page.goto("/redoc")
    expect(page.get_by_role("heading", name="catalogsvc", exact=False).first).to_be_visible()
    expect(page.get_by_text("Upload PDFs and start a job over them.").first).to_be_visible()
    expect(page.get_by_alt_text("redocly logo")).to_have_count(0)
    assert set(offline.blocked) <= {REDOC_LOGO}
