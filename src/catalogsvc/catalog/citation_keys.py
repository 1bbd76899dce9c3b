"""Stable, unique citation keys shared by the BibTeX and CSL-JSON catalogs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import count, product
from string import ascii_lowercase

from catalogsvc.catalog.names import split_person_name
from catalogsvc.domain import Paper

TITLE_STOPWORDS = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward"}
)
_NOT_KEY_CHARACTER = re.compile(r"[^a-z0-9]")
_KEY_WORD = re.compile(r"[a-z0-9]+")


def assign_citation_keys(papers: Sequence[Paper]) -> list[str]:
    """One key per paper, in order: family name + year + first significant title word.

    Papers sharing a key all get suffixes a, b, c, ... in catalog order, as biblatex does
    for labels, so adding a third paper does not rename the first.
    """
    base_keys = [_base_key(paper) for paper in papers]
    base_counts = Counter(base_keys)
    used: set[str] = set()
    keys: list[str] = []
    # One suffix sequence per base, read on from where it stopped: n papers sharing a base
    # cost n steps, not n squared.
    suffixes: dict[str, Iterator[str]] = {}
    for base in base_keys:
        key = base
        if base_counts[base] > 1 or base in used:
            candidates = suffixes.setdefault(base, _suffixed(base))
            key = next(candidate for candidate in candidates if candidate not in used)
        used.add(key)
        keys.append(key)
    return keys


def _base_key(paper: Paper) -> str:
    family = split_person_name(paper.authors[0]).family if paper.authors else ""
    family_part = _key_text(family) or "anon"
    year_part = str(paper.year) if paper.year is not None else "nd"
    return family_part + year_part + _first_title_word(paper.title or "")


def _first_title_word(title: str) -> str:
    words = _KEY_WORD.findall(_ascii_fold(title))
    return next((word for word in words if word not in TITLE_STOPWORDS), "")


def _key_text(text: str) -> str:
    return _NOT_KEY_CHARACTER.sub("", _ascii_fold(text))


def _ascii_fold(text: str) -> str:
    """Lowercase ASCII, so keys are valid in every BibTeX dialect ("Müller" -> "muller")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _suffixed(base: str) -> Iterator[str]:
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield base + "".join(letters)
