"""The papers and parsers the catalog tests share: eight papers with hostile text, and
each format read back as a reader would."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library

from catalogsvc.catalog.catalogs import CatalogFormat, render_catalog
from catalogsvc.domain import Paper

JOB_ID = "job-42"
SCRIPT_TITLE = '<script>alert(1)</script> & "friends"'
LATEX_TITLE = r"Braces {unbalanced & 100% $5 #1 a_b ~x^2 \path"
CSV_TITLE = 'Deep learning, "revisited"\nagain'
FORMULA_TITLE = '=HYPERLINK("http://evil.example")'


def make_paper(paper_id: int, **fields: Any) -> Paper:
    defaults: dict[str, Any] = {
        "job_id": JOB_ID,
        "file_name": f"paper-{paper_id}.pdf",
        "sha256": f"{paper_id:064x}",
        "pages": 10,
    }
    return Paper(id=paper_id, **(defaults | fields))


def sample_papers() -> list[Paper]:
    return [
        make_paper(
            1,
            title="Attention Is All You Need",
            authors=["Ashish Vaswani", "Noam Shazeer"],
            year=2017,
            doi="10.48550/arXiv.1706.03762",
            arxiv_id="1706.03762",
            abstract="The dominant sequence\ntransduction models.",
            venue="Journal of Sequence Models",
            volume="30",
            issue="4",
            page_range="5998-6008",
            publisher="Curran Associates",
            issn="1049-5258",
            type="article",
            category="Computer Science",
            category_score=0.9,
        ),
        make_paper(
            2,
            title=SCRIPT_TITLE,
            authors=["Ludwig van der Waals"],
            year=1873,
            abstract="<img src=x onerror=alert(2)> matters",
            category="Physics",
        ),
        make_paper(
            3,
            title=LATEX_TITLE,
            authors=["Jürgen Müller"],
            year=2020,
            doi="10.1000/a_b(c)",
            category="Computer Science",
        ),
        make_paper(
            4,
            title="Über die Quantenmechanik — 量子",
            authors=["Erwin Schrödinger"],
            year=1926,
        ),
        make_paper(5, file_name="scan_0042.pdf"),
        make_paper(
            6,
            title="Deep Learning for Cats",
            authors=["Yann LeCun"],
            year=2015,
            category="Computer Science",
        ),
        make_paper(
            7,
            title=CSV_TITLE,
            authors=["Yann LeCun", "Yoshua Bengio"],
            year=2015,
            abstract='Commas, "quotes"\nand newlines.',
            category="Computer Science",
        ),
        make_paper(8, title=FORMULA_TITLE, authors=["@mallory"], category="Physics"),
    ]


def render_text(fmt: CatalogFormat, papers: list[Paper], *, partial: bool = False) -> str:
    rendered = render_catalog(fmt, papers, job_id=JOB_ID, title="Test <catalog>", partial=partial)
    return rendered.content.decode("utf-8")


def parse_bibtex(papers: list[Paper]) -> Library:
    library = parse_string(render_text(CatalogFormat.bibtex, papers))
    assert not library.failed_blocks
    return library


class HTMLStructure(HTMLParser):
    """Collects what the browser would build: elements, text and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.open_tags: list[str] = []
        self.details_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag not in ("meta", "br"):
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open_tags:
            del self.open_tags[len(self.open_tags) - 1 - self.open_tags[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "details" in self.open_tags:
            self.details_text.append(data)


def parse_html(papers: list[Paper], *, partial: bool = False) -> HTMLStructure:
    structure = HTMLStructure()
    structure.feed(render_text(CatalogFormat.html, papers, partial=partial))
    structure.close()
    return structure
