"""The papers table keeps titles whole: at a desktop's 1280 px and a phone's 390 px, every word
of every title is drawn on one line (the table wraps between words, never inside one), however
long the authors list beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.pdf_factory import make_paper_pdf
from tests.server_process import ServerProcess
from tests.web.browser import require_browser

require_browser()

from playwright.sync_api import Browser, expect  # noqa: E402 -- only once require_browser() passed

from tests.web.conftest import open_page, save_screenshot  # noqa: E402

TITLES = [
    "Assortative Matching and Search in Biological Markets Reconsidered",
    "Reproducibility of Poincaré Dodecahedral Space Parameter Estimates",
    "Characterization of Electrophysiological Heterogeneity",
]
MANY_AUTHORS = [f"Bartholomew{n} Vandermeulen-Oppenheimer{n}" for n in range(12)]

# For each title cell: the words whose glyphs lie on more than one line.
BROKEN_WORDS = """
() => [...document.querySelectorAll("table.papers .paper-title")].flatMap((title) => {
  const text = title.firstChild;
  const broken = [];
  for (const match of text.textContent.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(text, match.index);
    range.setEnd(text, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    if (tops.size > 1) broken.push(match[0]);
  }
  return broken;
})
"""


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_titles_wrap_between_words_only(
    browser: Browser, server: ServerProcess, papers_dir: Path, width: int, name: str
) -> None:
    for index, title in enumerate(TITLES):
        make_paper_pdf(papers_dir / f"p{index}.pdf", title=title, authors=["Ada Lovelace"])
    job = server.http.post("/api/jobs/folder", json={"path": str(papers_dir)}).json()
    with open_page(browser, server) as page:
        page.goto(f"/#/jobs/{job['id']}")
        expect(page.locator(".title-line .badge")).to_have_text("completed")
        for paper in server.http.get(f"/api/jobs/{job['id']}/papers").json():
            # A long author list crowds the title column, as real ones do.
            server.http.patch(f"/api/papers/{paper['id']}", json={"authors": MANY_AUTHORS})
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        expect(page.locator(".title-line .badge")).to_have_text("completed")
        expect(page.locator("table.papers .paper-title")).to_have_count(len(TITLES))

        expect(page.locator("table.papers").get_by_text("Bartholomew0").first).to_be_visible()
        # These papers print no year: each is marked for review, saying why.
        review = page.locator("table.papers .badge-review")
        expect(review).to_have_count(len(TITLES))
        expect(review.first).to_have_attribute("title", re.compile(r"\bno year\b"))
        broken = page.evaluate(BROKEN_WORDS)
        save_screenshot(page, f"papers-{name}")

    assert broken == []
