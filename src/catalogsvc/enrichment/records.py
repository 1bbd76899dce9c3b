"""What a registry says about a work, in catalogsvc's own terms."""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from catalogsvc.domain import FieldSource, PaperType

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
