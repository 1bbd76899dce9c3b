"""Which DOI and arXiv id printed on a first page belong to the paper itself."""

from __future__ import annotations

import re

from catalogsvc.extraction.embedded_metadata import EmbeddedMetadata
from catalogsvc.extraction.identifiers import find_arxiv_ids, find_dois
from catalogsvc.extraction.pdf_layout import TextLine

_MARGIN = 0.12
_DOI_LABEL = re.compile(r"^\s*doi\s*:?\s*$", re.IGNORECASE)


def choose_doi(lines: list[TextLine], page_height: float, metadata: EmbeddedMetadata) -> str | None:
    """A labelled DOI on the page, else the metadata's DOI, else one printed in a page margin."""
    in_margin: str | None = None
    previous: TextLine | None = None
    for line in lines:
        label_above = previous is not None and _DOI_LABEL.match(previous.text) is not None
        previous = line
        for doi, labelled in find_dois(line.text):
            if labelled or label_above:
                return doi
            if in_margin is None and _in_margin(line, page_height):
                in_margin = doi
    return metadata.doi or in_margin


def choose_arxiv_id(
    lines: list[TextLine], page_height: float, metadata: EmbeddedMetadata
) -> str | None:
    """The arXiv stamp in the margin, else an id printed in the page margins, else metadata's."""
    for line in sorted(lines, key=lambda ln: not ln.rotated):
        if line.rotated or _in_margin(line, page_height):
            ids = find_arxiv_ids(line.text)
            if ids:
                return ids[0]
    return metadata.arxiv_id


def _in_margin(line: TextLine, page_height: float) -> bool:
    return line.y1 < page_height * _MARGIN or line.y0 > page_height * (1 - _MARGIN)
