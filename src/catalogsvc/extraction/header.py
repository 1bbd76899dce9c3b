"""The title block of a first page and where the header (title, authors) ends."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalogsvc.extraction.pdf_layout import Row, TextLine
from catalogsvc.extraction.text_cleanup import join_lines, strip_edge_punctuation

ABSTRACT_HEADING = re.compile(
    r"^\s*(abstract|summary|resumen|resumo|r[ée]sum[ée]|zusammenfassung)\b\s*[:.\u2014\u2013-]?\s*",
    re.IGNORECASE,
)
SECTION_HEADING = re.compile(
    r"^\s*(?:(?:\d{1,2}|[IVX]{1,4})\.?\s+)?(introduction|keywords?|key\s*words|index terms"
    r"|palavras[- ]chave|palabras clave|statement of need|main)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?:(?:research|original|review|short|brief|feature|regular|invited|technical)\s+)?"
    r"(?:article|paper|communication|report|letter|editorial|review|note|open access)s?$",
    re.IGNORECASE,
)
_NOT_TITLE = re.compile(
    r"(https?://|www\.|@|\bdoi\b|arxiv:|\bvol\.|\bvolume\b|\bproceedings\b|journal of|issn"
    r"|©|copyright|\bpages?\b\s*\d)",
    re.IGNORECASE,
)
_TITLE_ZONE = 0.7
_NEAR_MAX = 0.94


@dataclass(frozen=True, slots=True)
class TitleBlock:
    """The rows that make up the title and the title text."""

    text: str
    rows: tuple[Row, ...]
    size: float
    x0: float
    x1: float

    @property
    def bottom(self) -> float:
        return self.rows[-1].y1


def find_title(rows: list[Row], page_height: float, pitch: float) -> TitleBlock | None:
    """The dominant top block: the biggest type in the upper page, extended over its lines."""
    upper = sorted(
        (row for row in rows if row.y0 < page_height * _TITLE_ZONE), key=lambda r: -r.size
    )
    candidates = [row for row in upper if _could_be_title(_styled_text(row, row.size))]
    if not candidates:
        return None
    biggest = candidates[0].size
    near = [row for row in candidates if row.size >= biggest * _NEAR_MAX]
    bold = [row for row in near if row.bold]
    first = min(bold or near, key=lambda row: row.y0)
    title_rows = [first]
    rows = sorted(rows, key=lambda row: row.y0)
    max_step = max(1.7 * first.size, 1.3 * pitch * first.size)
    left, right = _extent(first, first.size)
    for row in rows[rows.index(first) + 1 :]:
        if not any(ln.x1 > left and ln.x0 < right for ln in row.lines):
            continue  # a margin logo or sidebar beside the title, not part of it
        previous = title_rows[-1]
        same_style = abs(row.size - first.size) <= first.size * 0.06 and row.bold == first.bold
        if not same_style or row.y0 - previous.y0 > max_step:
            break
        if _NOT_TITLE.search(_styled_text(row, first.size)):
            break
        title_rows.append(row)
    text = strip_edge_punctuation(join_lines([_styled_text(row, first.size) for row in title_rows]))
    if not text:
        return None
    lines = [ln for row in title_rows for ln in row.lines if _same_size(ln, first.size)]
    return TitleBlock(
        text=text,
        rows=tuple(title_rows),
        size=first.size,
        x0=min(ln.x0 for ln in lines),
        x1=max(ln.x1 for ln in lines),
    )


def header_stop(rows: list[Row], title: TitleBlock) -> TextLine | None:
    """The first line under the title, across its width, that starts the abstract or body."""
    for row in rows:
        if row.y0 <= title.bottom:
            continue
        for line in row.lines:
            overlaps = line.x1 > title.x0 and line.x0 < title.x1
            if overlaps and is_header_stop(line):
                return line
    return None


def is_header_stop(line: TextLine) -> bool:
    """Whether this line starts the abstract, a section or body prose."""
    text = line.main_text
    if ABSTRACT_HEADING.match(text) or SECTION_HEADING.match(text):
        return True
    return is_prose(text)


def is_prose(text: str) -> bool:
    """A sentence-like line: many words, many of them lower case."""
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    if len(words) < 8:
        return False
    lower = sum(1 for w in words if w[0].islower())
    return lower >= len(words) * 0.4


def _extent(row: Row, size: float) -> tuple[float, float]:
    lines = [ln for ln in row.lines if _same_size(ln, size)] or list(row.lines)
    return min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)


def _styled_text(row: Row, size: float) -> str:
    return " ".join(ln.main_text for ln in row.lines if _same_size(ln, size) and ln.main_text)


def _same_size(line: TextLine, size: float) -> bool:
    return abs(line.size - size) <= size * 0.06


def _could_be_title(text: str) -> bool:
    letters = sum(1 for c in text if c.isalpha())
    if letters < 4 or (" " not in text.strip() and len(text) < 12):
        return False
    return not (_LABEL.match(text.strip()) or _NOT_TITLE.search(text))
