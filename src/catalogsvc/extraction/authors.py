"""Author names read from the header rows under the title, split into people."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalogsvc.extraction.pdf_layout import Row, TextLine
from catalogsvc.extraction.text_cleanup import clean_text

_SEPARATOR = ","
# Affiliation markers, symbols and removed emails end a name for sure; commas may not.
_STRONG = "|"
# Footnote marks, "ID" of ORCID badges and icon glyphs from private-use code points.
_FOOTNOTE_SYMBOLS = re.compile(
    "[*\u2217\u2020\u2021\u00a7\u00b6\u22c6#\u2709\ue000-\uf8ff]|\\bID\\b"
)
_EMAIL = re.compile(r"[{(][^})]*[})]\s*@\S+|\S+@\S+")
_ORCID = re.compile(r"\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SPLIT = re.compile(r"\s*(?:[,;&|]|\band\b|\bund\b)\s*")
_CHUNK = re.compile(r"\s*(?:[;&|]|\band\b|\bund\b)\s*")
_MEMBER = re.compile(r"\b(?:student |senior |life )?(?:member|fellow)\b", re.IGNORECASE)
# "Member, IEEE" and the like after a name, with the commas around it.
_MEMBER_SUFFIX = re.compile(r"\s*,?\s*" + _MEMBER.pattern + r"\s*,?\s*(?:IEEE)?", re.IGNORECASE)
_CONJUNCTION_ROW = re.compile(r"\s*(?:and|&)\s*", re.IGNORECASE)
_ET_AL = re.compile(r"\bet\.?\s*al\.?", re.IGNORECASE)
_DEGREES = {
    "phd", "md", "bs", "ba", "bsc", "msc", "ms", "ma", "mph", "mba", "dphil", "rn", "mjc",
    "mbbs", "frcs", "frcpc", "ieee", "facs", "pharmd", "dsc", "prof", "dr",
}  # fmt: skip
_PARTICLES = {
    "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van", "von",
    "den", "ter", "ten", "'t", "\u2019t", "al", "el", "bin", "ibn", "y", "zu", "af",
}  # fmt: skip
_NOT_NAME_WORDS = {
    "university", "universidad", "universidade", "università", "universität", "université",
    "institute", "institut", "instituto", "department", "dept", "departamento", "school",
    "college", "center", "centre", "laboratory", "lab", "laboratories", "research", "inc",
    "corporation", "corp", "group", "division", "faculty", "hospital", "unit", "street", "ave",
    "avenue", "road", "way", "science", "sciences", "engineering", "technology", "foundation",
    "academy", "program", "programme", "received", "accepted", "published", "editor",
    "reviewed", "edited", "abstract", "introduction", "keywords", "correspondence", "email",
    "the", "of", "for", "in", "on", "with", "to", "at", "by", "from", "is", "are", "we",
    "article", "journal", "proceedings", "conference", "volume", "issue", "software",
    "review", "repository", "archive", "license", "submitted", "collaboration", "usa", "uk",
    "medical", "medicine", "clinical", "national", "public", "health", "services", "society",
}  # fmt: skip
_NAME_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f][\w'\u2019.-]*)$")
_STYLE_SIZE_TOLERANCE = 0.35


@dataclass(frozen=True, slots=True)
class PrintStyle:
    """Font size and weight a header element is printed in."""

    size: float
    bold: bool

    def matches(self, line: TextLine) -> bool:
        return abs(line.size - self.size) <= _STYLE_SIZE_TOLERANCE and line.bold == self.bold


@dataclass(frozen=True, slots=True)
class AuthorScan:
    """Author rows found in one pass over a page, in the style they were printed in."""

    pieces: tuple[str, ...] = ()
    style: PrintStyle | None = None
    last_y: float = 0.0
    right: float = 0.0  # where the rightmost accepted name line ends

    @property
    def names(self) -> list[str]:
        return _split_names(list(self.pieces))

    def extend(self, more: AuthorScan) -> AuthorScan:
        right = max(self.right, more.right)
        return AuthorScan(self.pieces + more.pieces, self.style or more.style, more.last_y, right)


def find_authors(
    rows: list[Row], *, top: float, bottom: float, after: AuthorScan | None = None
) -> AuthorScan:
    """Author rows between top and bottom; with `after`, only rows continuing that list."""
    style = after.style if after is not None else None
    pieces: list[str] = list(after.pieces[-1:]) if after is not None else []
    last_y = right = 0.0
    previous_accepted = bool(pieces)
    before_conjunction: PrintStyle | None = None
    for row in rows:
        if row.y0 < top or row.y0 > bottom:
            continue
        if pieces and style is not None and _CONJUNCTION_ROW.fullmatch(row.main_text):
            # Scans of old journals set a lone "AND" line before the last name in its own size.
            before_conjunction, style = style, None
            continue
        continues = previous_accepted and bool(pieces) and not _ends_open(pieces[-1])
        found = _author_lines(row, style, fragments_allowed=continues)
        if found is not None:
            style, text, lines = found
            if pieces and not previous_accepted:
                pieces[-1] += f" {_STRONG}"
            pieces.append(text)
            last_y = row.y1
            right = max(right, *(ln.x1 for ln in lines))
        elif after is not None and any(style and style.matches(ln) for ln in row.lines):
            break
        if before_conjunction is not None:
            style, before_conjunction = before_conjunction, None
        previous_accepted = found is not None
    if after is not None and after.pieces:
        pieces = pieces[1:]
    return AuthorScan(tuple(pieces), style, last_y, right)


def _author_lines(
    row: Row, style: PrintStyle | None, *, fragments_allowed: bool
) -> tuple[PrintStyle, str, list[TextLine]] | None:
    """The row's lines in the first style that reads as author names, with their text."""
    for candidate in _candidate_styles(row, style):
        lines = [ln for ln in row.lines if candidate.matches(ln)]
        if not lines:
            continue
        text = _author_text(lines)
        if _is_author_row(text, fragments_allowed=fragments_allowed):
            return candidate, text, lines
    return None


def names_from_metadata(author: str | None) -> list[str]:
    """Authors from the PDF Info dictionary when they look like real names."""
    if not author or "@" in author:
        return []
    parts = [p for p in re.split(r"\s*(?:;|,|\band\b|&)\s*", _ET_AL.sub("", author)) if p]
    names = [_format_name(p) for p in parts if _looks_like_name(p)]
    return names if len(names) == len(parts) else []


def _candidate_styles(row: Row, known: PrintStyle | None) -> list[PrintStyle]:
    if known is not None:
        return [known]
    styles: list[PrintStyle] = []
    for line in row.lines:
        style = PrintStyle(line.size, line.bold)
        if not any(s.matches(line) for s in styles):
            styles.append(style)
    return styles


def _author_text(lines: list[TextLine]) -> str:
    """The row's text with markers, emails and big gaps turned into separators."""
    parts: list[str] = []
    previous: TextLine | None = None
    for line in lines:
        if previous is not None and line.x0 - previous.x1 > 1.2 * line.size:
            parts.append(_STRONG)
        for span in line.spans:
            parts.append(f" {_STRONG} " if span.superscript else span.text)
        previous = line
    text = clean_text("".join(parts))
    text = _EMAIL.sub(_STRONG, text)
    text = _ORCID.sub(_STRONG, text)
    text = _URL.sub(_STRONG, text)
    text = _FOOTNOTE_SYMBOLS.sub(_STRONG, text)
    text = _MEMBER_SUFFIX.sub(",", text)
    return _ET_AL.sub(_SEPARATOR, text).strip()


def _ends_open(text: str) -> bool:
    """Whether the row's last name may continue on the next row."""
    stripped = text.rstrip()
    return stripped.endswith((",", ";", "&", _STRONG)) or stripped.lower().endswith(" and")


def _is_author_row(text: str, *, fragments_allowed: bool) -> bool:
    if ":" in text:
        return False
    names = fragments = 0
    for raw in _SPLIT.split(text):
        part = raw.strip(" .")
        if not part or _is_degree(part):
            continue
        if _looks_like_name(part):
            names += 1
        elif _is_fragment(part):
            fragments += 1
        else:
            return False
    return names > 0 or (fragments > 0 and fragments_allowed)


def _split_names(pieces: list[str]) -> list[str]:
    joined = ""
    for piece in pieces:
        if joined and not _ends_open(joined) and _name_breaks_here(joined, piece):
            joined = f"{joined} {piece}"
        else:
            joined = f"{joined}, {piece}" if joined else piece
    names: list[str] = []
    for part in _family_first_swapped(joined) or _SPLIT.split(joined):
        part = part.strip(" .")
        if part and not _is_degree(part) and _looks_like_name(part):
            name = _format_name(part)
            if name not in names:
                names.append(name)
    return names


def _name_breaks_here(before: str, after: str) -> bool:
    """Whether a name runs over the line break: 'Yongqian / Wang', 'J Gregory / Caporaso'."""
    tail = _SPLIT.split(before)[-1].split()
    head = _SPLIT.split(after.strip(" |,"))[0].split()
    ends_with_initial = bool(tail) and len(tail[-1].strip(".")) == 1
    return len(tail) <= 1 or ends_with_initial or len(head) <= 1


def _family_first_swapped(text: str) -> list[str] | None:
    """'Di Cosmo, Roberto | Danelutto, Marco' as 'Roberto Di Cosmo', 'Marco Danelutto'."""
    if _STRONG not in text:
        return None
    chunks = [c.strip(" ,") for c in _CHUNK.split(text) if c.strip(" ,.")]
    swapped: list[str] = []
    for chunk in chunks:
        if _is_degree(chunk):
            continue
        halves = [h.strip() for h in chunk.split(",")]
        if len(halves) != 2 or not all(_is_fragment(h) or _looks_like_name(h) for h in halves):
            return None
        if any(_is_degree(h) for h in halves):
            return None
        swapped.append(f"{halves[1]} {halves[0]}")
    return swapped or None


def _is_degree(part: str) -> bool:
    letters = re.sub(r"[^a-z]", "", part.lower())
    return letters in _DEGREES


def _is_fragment(part: str) -> bool:
    tokens = part.split()
    return len(tokens) == 1 and _is_name_token(tokens[0])


def _looks_like_name(part: str) -> bool:
    tokens = part.split()
    if not 2 <= len(tokens) <= 6 or any(c.isdigit() for c in part):
        return False
    if not any(len(t.strip(".")) > 1 and t[0].isupper() for t in tokens):
        return False
    return all(_is_name_token(t) or t.lower() in _PARTICLES for t in tokens)


def _is_name_token(token: str) -> bool:
    if token.lower().strip(".") in _NOT_NAME_WORDS:
        return False
    return bool(_NAME_TOKEN.match(token))


def _format_name(part: str) -> str:
    tokens = [
        t.title() if t.isupper() and sum(c.isalpha() for c in t) >= 3 else t for t in part.split()
    ]
    return " ".join(tokens).strip(" ,.")
