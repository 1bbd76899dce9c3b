"""The publication year, weighed from copyright lines, publication dates and page margins."""

from __future__ import annotations

import re
from datetime import date

from catalogsvc.extraction.pdf_layout import TextLine

_YEAR = re.compile(r"(?<![\d./-])(19[5-9]\d|20\d\d)(?![\d/])")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|c⃝", re.IGNORECASE)
_PUBLISHED = re.compile(
    r"published|publication date|available online|appeared|appearing", re.IGNORECASE
)
_VENUE = re.compile(
    r"proceedings|conference|workshop|symposium|journal|\bvol\b|volume|transactions|\bin press\b"
    r"|[a-z]\s*\d+\s*[,:(]\s*\d|;\s*\d+\s*:|^\s*\d+\s*,\s*\d+\s*[-\u2013]\s*\d+\s*\(",
    re.IGNORECASE,
)
_ACCEPTED = re.compile(r"accepted", re.IGNORECASE)
_HISTORY = re.compile(r"received|revised|submitted", re.IGNORECASE)
_MARGIN = 0.1


def find_year(lines: list[TextLine], page_height: float) -> int | None:
    """The best-supported year printed on the first page, or None."""
    latest = date.today().year + 1
    best: tuple[int, int] | None = None
    previous_text = ""
    for line in lines:
        text = line.text
        label_above = previous_text
        previous_text = text
        if _YEAR.search(text) is None:
            continue
        weight = _weight(line, text, label_above, page_height)
        if weight == 0:
            continue
        for match in _YEAR.finditer(text):
            year = int(match.group(1))
            if year <= latest and (best is None or (weight, year) > best):
                best = (weight, year)
    return best[1] if best else None


def _weight(line: TextLine, text: str, previous_text: str, page_height: float) -> int:
    if _COPYRIGHT.search(text):
        return 6
    if _PUBLISHED.search(text) or _PUBLISHED.fullmatch(previous_text.strip()):
        return 5
    if _HISTORY.search(text) and not _ACCEPTED.search(text):
        # A manuscript's history predates its publication; it only serves when nothing else does.
        return 1
    in_margin = line.y1 < page_height * _MARGIN or line.y0 > page_height * (1 - _MARGIN)
    if _VENUE.search(text) and (in_margin or line.size < 9.5):
        return 4
    if _ACCEPTED.search(text):
        return 3
    if in_margin or line.rotated:
        return 2
    return 0
