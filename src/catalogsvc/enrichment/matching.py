"""Whether a registry's work is the paper a PDF holds, when only its title can tell."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, utils

from catalogsvc.enrichment.records import RegistryRecord

TITLE_SIMILARITY = 97.0
_WORD = re.compile(r"[^\W_]+")


def same_work(
    title: str, first_author: str | None, year: int | None, record: RegistryRecord
) -> bool:
    """The titles the same but for spacing, case, punctuation and hyphenation ("Cross
    Validation" is "Cross-Validation"; "Aperiodic" is not "Periodic"), the first authors'
    family names equal where both are known, and the years at most one apart (a preprint
    and its print) where both are known."""
    if not record.title or not same_title(title, record.title):
        return False
    authors = record.author_families
    if first_author and authors and not same_family(first_author, authors[0]):
        return False
    return year is None or record.year is None or abs(year - record.year) <= 1


def same_family(one: str, other: str) -> bool:
    """Whether two names (a whole name or a family name) end in the same family name."""
    return bool(one.split() and other.split()) and utils.default_process(
        one.split()[-1]
    ) == utils.default_process(other.split()[-1])


def same_title(one: str, other: str) -> bool:
    if fuzz.ratio(one, other, processor=utils.default_process) < TITLE_SIMILARITY:
        return False
    words = [set(_WORD.findall(text.casefold())) for text in (one, other)]
    joined = ["".join(_WORD.findall(text.casefold())) for text in (one, other)]
    # A word only one title has must be there in the other, split or joined differently.
    return all(word in joined[1] for word in words[0] - words[1]) and all(
        word in joined[0] for word in words[1] - words[0]
    )
