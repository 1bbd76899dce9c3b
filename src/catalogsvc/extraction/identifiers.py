"""DOIs and arXiv identifiers found in printed text and embedded metadata, normalised."""

from __future__ import annotations

import re

from catalogsvc.extraction.text_cleanup import CONTROL_CHARACTERS

# A DOI ends at white space, quotes, angle brackets or a control character (PDF text layers
# carry stray ones, e.g. 10.1063/1.2409490\x04).
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>\x00-\x1f\x7f]+)", re.IGNORECASE)
_DOI_LABEL = re.compile(r"(?:\bdoi\b\s*[:.]?\s*|doi\.org/|dx\.doi\.org/)$", re.IGNORECASE)
# New-style ids (0704.0001 onwards) and old-style archive/YYMMNNN ids.
_ARXIV_NUMBER = r"((?:\d{4}\.\d{4,5})|(?:[a-z][a-z-]+(?:\.[A-Z]{2})?/\d{7}))(?:v\d+)?"
_ARXIV_LABELLED = re.compile(
    r"\barxiv(?:\.org/(?:abs|pdf)/|\s*:\s*|\s+)" + _ARXIV_NUMBER, re.IGNORECASE
)
_ARXIV_ID = re.compile(r"(?:arxiv\s*:\s*)?" + _ARXIV_NUMBER, re.IGNORECASE)
_ARXIV_BARE_NEW = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_ARXIV_OLD = re.compile(r"^[a-z-]+(?:\.[a-z]{2})?/(\d{2})(\d{2})\d{3}$", re.IGNORECASE)
# Elsevier's legacy item ids, ISSN(YY)NNNNN-C; the publisher registered them as DOIs under 10.1016.
_ELSEVIER_PII = re.compile(r"\bPII\s*:?\s*(S?\d{4}-\d{3}[\dX]\(\d{2}\)\d{5}-[\dX])", re.IGNORECASE)
_TRAILING = ".,;:)]}'\u2019\u201d"


def normalize_doi(raw: str) -> str | None:
    """A DOI without URL prefix, trailing punctuation or unbalanced brackets; None if invalid."""
    doi = CONTROL_CHARACTERS.split(raw.strip(), maxsplit=1)[0]
    doi = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", doi, flags=re.IGNORECASE)
    doi = re.sub(r"^doi\s*:\s*", "", doi, flags=re.IGNORECASE)
    while doi and doi[-1] in _TRAILING:
        if doi[-1] == ")" and doi.count("(") >= doi.count(")"):
            break
        if doi[-1] == "]" and doi.count("[") >= doi.count("]"):
            break
        doi = doi[:-1]
    if not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        return None
    return doi


def find_dois(text: str) -> list[tuple[str, bool]]:
    """Every DOI in the text with whether it is labelled (doi:, DOI, doi.org) where printed."""
    found: list[tuple[str, bool]] = []
    for match in _DOI.finditer(text):
        doi = normalize_doi(match.group(1))
        if doi is None:
            continue
        labelled = bool(_DOI_LABEL.search(text[max(0, match.start() - 20) : match.start()]))
        found.append((doi, labelled))
    return found


def doi_from_pii(text: str) -> str | None:
    """The DOI an Elsevier PII label such as 'PII: 0021-9991(86)90093-8' stands for, or None."""
    match = _ELSEVIER_PII.search(text)
    return f"10.1016/{match.group(1).upper()}" if match else None


def normalize_arxiv_id(raw: str) -> str | None:
    """An arXiv identifier without `arXiv:` prefix or version; None if it is not one."""
    match = _ARXIV_ID.fullmatch(raw.strip())
    return match.group(1) if match else None


def find_arxiv_ids(text: str) -> list[str]:
    """arXiv identifiers printed with an arXiv label, without version suffix."""
    return [match.group(1) for match in _ARXIV_LABELLED.finditer(text)]


def arxiv_year(arxiv_id: str) -> int | None:
    """The year an arXiv identifier was issued, read from its YYMM part."""
    match = _ARXIV_BARE_NEW.match(arxiv_id) or _ARXIV_OLD.match(arxiv_id)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return 1900 + year if year >= 91 else 2000 + year
