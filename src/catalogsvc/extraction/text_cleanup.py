"""Repairs for text read out of PDFs: mojibake, ligatures, split accents, broken line ends."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# LaTeX without T1 fonts prints accents as a separate spacing character before the letter.
_SPACING_ACCENTS = {
    "\u00a8": "\u0308",  # diaeresis
    "\u00b4": "\u0301",  # acute
    "`": "\u0300",
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u02c7": "\u030c",  # caron
    "\u00b8": "\u0327",  # cedilla
    "\u02da": "\u030a",  # ring
}
_SPACING_ACCENT = re.compile("([" + "".join(_SPACING_ACCENTS) + r"])\s?([A-Za-z])")
_SPACING_ACCENT_CHAR = re.compile("[" + "".join(_SPACING_ACCENTS) + "]")
# UTF-8 read as Latin-1/Windows-1252 leaves a lead byte (Â Ã Å â ï Ð Ñ) before a continuation.
_NEEDS_FTFY = re.compile(
    "[\u00c2\u00c3\u00c5\u00e2\u00ef\u00d0\u00d1][\u0080-\u00bf\u0152\u0153\u0160\u0161"
    "\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|[\ufb00-\ufb06\ufffd]"
)
_SPACES = re.compile(r"\s+")
# C0 controls and DEL: PDF text layers and model answers carry stray ones (e.g. \x04).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_HYPHEN_AT_END = re.compile("[-\u2010\u2011\u00ad]$")


def one_line(text: str) -> str:
    """Text without control characters (PostgreSQL refuses NUL, exports break on the others),
    its whitespace collapsed to single spaces."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def compose_spacing_accents(text: str) -> str:
    """Turn 'G¨or¨ur' into 'Görür'; cheap enough to run on every span."""
    if _SPACING_ACCENT_CHAR.search(text) is None:
        return text
    return _SPACING_ACCENT.sub(
        lambda m: unicodedata.normalize("NFC", m.group(2) + _SPACING_ACCENTS[m.group(1)]), text
    )


def clean_text(text: str) -> str:
    """Fix mojibake and ligatures, drop soft hyphens and collapse whitespace."""
    text = text.replace("\u00ad", "")
    # ftfy costs milliseconds per paragraph, so it only runs where mojibake or ligatures show.
    if _NEEDS_FTFY.search(text):
        text = ftfy.fix_text(text, normalization="NFC")
    elif not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Join printed lines into one string, gluing words that were hyphenated at a line end."""
    joined = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not joined:
            joined = line
        elif _HYPHEN_AT_END.search(joined):
            # "evapotran-/spiration" was one word; "High-/Dimensional" keeps its hyphen.
            joined = joined[:-1] + line if line[:1].islower() else joined + line
        else:
            joined = f"{joined} {line}"
    return clean_text(joined)


def strip_edge_punctuation(text: str) -> str:
    """Drop trailing punctuation and stray leading symbols that printing leaves around a field."""
    return text.strip().strip("*†‡§¶⋆#").rstrip(" .,;:").strip()
