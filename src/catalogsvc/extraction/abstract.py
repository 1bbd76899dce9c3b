"""The abstract: the text under an Abstract heading, or the first paragraph after the header."""

from __future__ import annotations

import re

from catalogsvc.extraction.header import ABSTRACT_HEADING, SECTION_HEADING, is_prose
from catalogsvc.extraction.pdf_layout import TextLine
from catalogsvc.extraction.text_cleanup import join_lines

_MAX_WORDS = 700
_MIN_WORDS = 10
_MAX_LANGUAGES = 3
_PARAGRAPH_SPACING = 0.3
_LINE_NUMBER = re.compile(r"\d{1,4}")
_STRUCTURED_LABEL = re.compile(
    r"^(background|objectives?|aims?|purpose|methods?|design|results?|findings|conclusions?"
    r"|interpretation|significance|context)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w{3,}")
_REFERENCE_MARKER = re.compile(r"^\s*(?:->|\u2192|\[\d{1,3}\]|\d{1,3}\.\s+[A-Z][\w'-]+,)")
# "(2000).", "pp. 380", "doi.org/", "et al.", "In: Proceedings", "68(2), 343"
_CITATION_MARK = re.compile(
    r"\((?:19|20)\d\d[a-z]?\)\.|\bpp\.\s*\d|doi\.org/|\bet al\.|\bIn:\s|\d+\(\d+\),\s*\d"
)
_WORDS_PER_CITATION = 20
_MIN_CITATIONS = 3
_MIN_KEYWORDS = 4
_KEYWORD_WORDS = 3.0
# SciELO and others set the title in a second language, in brackets, before the abstract.
_PARALLEL_TITLE = re.compile(r"^\((?:[^()]|\([^()]*\)){20,400}\)\.?\s+(?=[^\W\d_])")
# "... the following topics:" ends the paragraph, the list it opens is not the abstract.
_LIST_OPENER = re.compile(r"(?<=[.!?])\s+[^.!?]+:$")
_NOT_ABSTRACT = re.compile(
    r"^\s*(©|copyright|received|accepted|published|correspondence|academic editor|edited by"
    r"|reviewed by|citation|how to cite|como citar|this is an open access|keywords?)",
    re.IGNORECASE,
)


def find_abstract(
    lines: list[TextLine], *, after_y: float, x0: float, x1: float, title: str | None = None
) -> str | None:
    """The abstract on these lines (one or two pages, reading order), or None.

    With abstracts in several languages, the one sharing most words with the title wins:
    it is the one in the paper's own language.
    """
    found: list[str] = []
    for index, line in enumerate(lines):
        if line.rotated:
            continue
        heading = ABSTRACT_HEADING.match(line.main_text)
        if heading is None or (line.page == 0 and line.y1 < after_y - 2):
            continue
        first = line.main_text[heading.end() :].strip()
        body = _collect_body(lines, index + 1, [first] if first else [], line)
        if body is not None:
            found.append(body)
            if not title or len(found) == _MAX_LANGUAGES:
                break
    abstract: str | None
    if found:
        abstract = max(found, key=lambda body: _shared_words(body, title or ""))
    else:
        abstract = _first_paragraph(lines, after_y=after_y, x0=x0, x1=x1)
    if abstract is None or is_reference_list(abstract) or is_keyword_block(abstract):
        return None
    return abstract


def is_reference_list(text: str) -> bool:
    """References quoted on a first page ("→Shimer, R. (2000). … Econometrica, 68(2), …"):
    an opening list marker, or a citation every few dozen words."""
    if _REFERENCE_MARKER.match(text):
        return True
    citations = len(_CITATION_MARK.findall(text))
    return citations >= _MIN_CITATIONS and citations * _WORDS_PER_CITATION >= len(text.split())


def is_keyword_block(text: str) -> bool:
    """ "deep learning; graphs; cache optimisation; node ordering": short phrases, no sentence."""
    parts = [part.split() for part in re.split(r"[;,·]", text) if part.strip()]
    if len(parts) < _MIN_KEYWORDS or re.search(r"[a-z]{3}\. [A-Z]", text):
        return False
    return sum(len(words) for words in parts) / len(parts) <= _KEYWORD_WORDS


def _shared_words(body: str, title: str) -> int:
    title_words = set(_WORD.findall(title.casefold()))
    return len(title_words & set(_WORD.findall(body.casefold())))


def _first_paragraph(lines: list[TextLine], *, after_y: float, x0: float, x1: float) -> str | None:
    """The topmost prose paragraph under the header: reading order may put a lead paragraph
    (a standfirst) after the body text it sits above."""
    block_starts: dict[tuple[int, int], TextLine] = {}
    for line in lines:
        block_starts.setdefault((line.page, line.block), line)
    start: int | None = None
    for index, line in enumerate(lines):
        if line.page != 0 or line.rotated or line.y0 < after_y:
            continue
        if start is not None and line.y0 >= lines[start].y0:
            continue
        if line.x1 < x0 or line.x0 > x1 or not is_prose(line.main_text):
            continue
        if _NOT_ABSTRACT.match(block_starts[(line.page, line.block)].main_text):
            continue
        start = index
    if start is None:
        return None
    return _collect_body(lines, start + 1, [lines[start].main_text], lines[start])


def _collect_body(
    lines: list[TextLine], start: int, texts: list[str], previous: TextLine
) -> str | None:
    size: float | None = previous.size if texts else None
    right_edge = previous.x1 if texts else 0.0
    left_edge = previous.x0
    in_block = False
    words = sum(len(t.split()) for t in texts)
    for line in lines[start:]:
        if line.rotated:
            continue
        text = line.main_text
        if _LINE_NUMBER.fullmatch(text) and (line.x1 <= left_edge or line.x0 >= right_edge > 0):
            continue  # preprints number their lines in the margin
        if size is None:
            size = line.size
        if SECTION_HEADING.match(text):
            break
        if abs(line.size - size) > 0.6 and not _sentence_runs_on(previous, line):
            break
        went_down = line.y0 - previous.y1
        if line.page == previous.page and went_down > 2.2 * size:
            break
        jumped_back = line.page == previous.page and line.y0 < previous.y0 - size
        if jumped_back and line.x0 < previous.x0 + 50:
            break
        if texts and _NOT_ABSTRACT.match(text):
            break
        if len(texts) > 1 and _paragraph_ended(previous, line, right_edge, size, in_block):
            break
        texts.append(text)
        right_edge = max(right_edge, line.x1)
        left_edge = min(left_edge, line.x0)
        in_block = line.block == previous.block and line.page == previous.page
        previous = line
        words += len(text.split())
        if words > _MAX_WORDS:
            break
    abstract = _LIST_OPENER.sub("", _PARALLEL_TITLE.sub("", join_lines(texts)))
    return abstract if len(abstract.split()) >= _MIN_WORDS else None


def _sentence_runs_on(previous: TextLine, line: TextLine) -> bool:
    """A line of the same block finishing an open sentence: OCR misread its size; same part."""
    same_block = line.block == previous.block and line.page == previous.page
    return same_block and not _ends_sentence(previous.main_text)


def _paragraph_ended(
    previous: TextLine, line: TextLine, right_edge: float, size: float, previous_in_block: bool
) -> bool:
    """A spaced-out new block after a short line ending a sentence: the abstract is over.

    Abstracts are one paragraph far more often than not; what follows in a block of its own
    is a note on the replicated work, the first section's prose or a list of topics. Paragraphs
    set without space between them (IEEE's indented style) stay; so do PDFs that make every
    line a block of its own.
    """
    if line.block == previous.block or line.page != previous.page:
        return False
    if not previous_in_block or _STRUCTURED_LABEL.match(line.main_text):
        return False
    spaced = line.y0 - previous.y1 > _PARAGRAPH_SPACING * size
    short = previous.x1 < right_edge - 2 * size
    return spaced and short and _ends_sentence(previous.main_text)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ":"))
