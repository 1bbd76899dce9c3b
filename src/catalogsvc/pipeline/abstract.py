"""The abstract: the text under an Abstract heading, or the first paragraph after the header."""

from __future__ import annotations

import re

from catalogsvc.pipeline.header import ABSTRACT_HEADING, SECTION_HEADING, is_prose
from catalogsvc.pipeline.pdf_layout import TextLine
from catalogsvc.pipeline.text_cleanup import join_lines

_MAX_WORDS = 700
_MIN_WORDS = 10
_NOT_ABSTRACT = re.compile(
    r"^\s*(©|copyright|received|accepted|published|correspondence|academic editor|edited by"
    r"|reviewed by|citation|how to cite|como citar|this is an open access|keywords?)",
    re.IGNORECASE,
)


def find_abstract(lines: list[TextLine], *, after_y: float, x0: float, x1: float) -> str | None:
    """The abstract on these lines (one or two pages, reading order), or None."""
    for index, line in enumerate(lines):
        if line.rotated:
            continue
        heading = ABSTRACT_HEADING.match(line.main_text)
        if heading is None or (line.page == 0 and line.y1 < after_y - 2):
            continue
        first = line.main_text[heading.end() :].strip()
        body = _collect_body(lines, index + 1, [first] if first else [], line)
        if body is not None:
            return body
    return _first_paragraph(lines, after_y=after_y, x0=x0, x1=x1)


def _first_paragraph(lines: list[TextLine], *, after_y: float, x0: float, x1: float) -> str | None:
    block_starts: dict[tuple[int, int], TextLine] = {}
    for line in lines:
        block_starts.setdefault((line.page, line.block), line)
    for index, line in enumerate(lines):
        if line.page != 0 or line.rotated or line.y0 < after_y:
            continue
        if line.x1 < x0 or line.x0 > x1 or not is_prose(line.main_text):
            continue
        if _NOT_ABSTRACT.match(block_starts[(line.page, line.block)].main_text):
            continue
        return _collect_body(lines, index + 1, [line.main_text], line)
    return None


def _collect_body(
    lines: list[TextLine], start: int, texts: list[str], previous: TextLine
) -> str | None:
    size: float | None = previous.size if texts else None
    for line in lines[start:]:
        if line.rotated:
            continue
        text = line.main_text
        if size is None:
            size = line.size
        if abs(line.size - size) > 0.6 or SECTION_HEADING.match(text):
            break
        went_down = line.y0 - previous.y1
        if line.page == previous.page and went_down > 2.2 * size:
            break
        jumped_back = line.page == previous.page and line.y0 < previous.y0 - size
        if jumped_back and line.x0 < previous.x0 + 50:
            break
        if texts and _NOT_ABSTRACT.match(text):
            break
        texts.append(text)
        previous = line
        if sum(len(t.split()) for t in texts) > _MAX_WORDS:
            break
    abstract = join_lines(texts)
    return abstract if len(abstract.split()) >= _MIN_WORDS else None
