"""What a registry says about a work, in catalogsvc's own terms."""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from catalogsvc.domain import FieldSource, PaperType
from catalogsvc.extraction.text_cleanup import one_line

# Block elements part words; inline ones (<jats:italic>) sit inside them.
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec|list|list-item|br|div)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")
_SPACES = re.compile(r"\s+")
_ABSTRACT_LABEL = re.compile(r"^\s*abstract[\s:.]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RegistryRecord:
    source: FieldSource
    doi: str | None = None
    title: str | None = None
    author_families: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    volume: str | None = None
    issue: str | None = None
    page_range: str | None = None
    publisher: str | None = None
    issn: str | None = None
    type: PaperType | None = None
    abstract: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RegistryRecord:
        data = dict(data)
        data["source"] = FieldSource(data["source"])
        data["type"] = PaperType(data["type"]) if data.get("type") else None
        return cls(**data)


def strip_markup(text: str | None) -> str | None:
    """Plain text from a JATS or HTML abstract ("<jats:p>…</jats:p>"), its "Abstract" label
    dropped; None when nothing is left."""
    if not text:
        return None
    plain = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    plain = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", html.unescape(plain))).strip()
    plain = _ABSTRACT_LABEL.sub("", plain).strip()
    return plain or None


def first(values: Any) -> str | None:
    """The first text of a registry's list field (Crossref gives titles as lists)."""
    if isinstance(values, list):
        values = next((value for value in values if value), None)
    return str(values).strip() or None if values else None


def page_range(first_page: str | None, last_page: str | None) -> str | None:
    if not first_page:
        return None
    return f"{first_page}-{last_page}" if last_page and last_page != first_page else first_page


# What a registry's value may be before it is stored; anything else is dropped, as a PATCH
# would refuse it (a year 99999, a 5,000-character volume, a NUL that PostgreSQL refuses).
_LONGEST = {"volume": 50, "issue": 50, "page_range": 50, "abstract": 20_000}
_ISSN = re.compile(r"^\d{4}-\d{3}[\dXx]$")


def sanitized(record: RegistryRecord) -> RegistryRecord:
    """The record with only values that could be stored as a user's correction could."""
    values: dict[str, Any] = {}
    for name in (
        "doi",
        "title",
        "venue",
        "volume",
        "issue",
        "page_range",
        "publisher",
        "issn",
        "abstract",
    ):
        value = getattr(record, name)
        text = one_line(str(value)) if value is not None else ""
        values[name] = text if text and len(text) <= _LONGEST.get(name, 1000) else None
    if values["issn"] and not _ISSN.match(values["issn"]):
        values["issn"] = None
    year = (
        record.year if isinstance(record.year, int) and not isinstance(record.year, bool) else None
    )
    values["year"] = year if year is not None and 1000 <= year <= 2100 else None
    return replace(record, **values)
