"""Fill what the text path missed: a vision model reads scanned pages, an LLM fills gaps."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pymupdf
from openai import AsyncOpenAI

from catalogsvc.domain import ExtractedPaper, ExtractionMethod
from catalogsvc.errors import LLMError
from catalogsvc.llm.client import request_json
from catalogsvc.llm.prompts import metadata_messages, vision_metadata_messages

NO_TEXT_LAYER_MARK = "no text layer"
PAGE_TEXT_CHARS = 6000
RENDER_DPI = 150
EARLIEST_YEAR, LATEST_YEAR = 1500, 2100

_NULLABLE_STRING = {"type": ["string", "null"]}
METADATA_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "title": _NULLABLE_STRING,
        "authors": {"type": "array", "items": {"type": "string"}},
        "year": {"type": ["integer", "null"]},
        "doi": _NULLABLE_STRING,
        "arxiv_id": _NULLABLE_STRING,
        "abstract": _NULLABLE_STRING,
    },
    "required": ["title", "authors", "year", "doi", "arxiv_id", "abstract"],
    "additionalProperties": False,
}


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """The fields a model read on page 1, cleaned; None where it found nothing usable."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    abstract: str | None = None


class MetadataReader:
    """Second pass over one extracted PDF with the models that are configured (either may be
    None); a failed request leaves the paper as the text path read it, with a warning."""

    def __init__(
        self, client: AsyncOpenAI, *, llm_model: str | None, vision_model: str | None
    ) -> None:
        self.client = client
        self.llm_model = llm_model
        self.vision_model = vision_model

    async def refine(self, path: str, extracted: ExtractedPaper) -> ExtractedPaper:
        """The paper with a scanned page 1 read by the vision model, or its gaps filled."""
        try:
            if self.vision_model and lacks_text_layer(extracted):
                return await self._read_image(path, extracted, self.vision_model)
            if self.llm_model and has_missing_fields(extracted):
                return await self._read_text(path, extracted, self.llm_model)
        except LLMError as error:
            return replace(extracted, warnings=[*extracted.warnings, error.detail])
        return extracted

    async def _read_image(self, path: str, extracted: ExtractedPaper, model: str) -> ExtractedPaper:
        png = await asyncio.to_thread(render_first_page_png, path, RENDER_DPI)
        data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        answer = await request_json(
            self.client,
            model=model,
            messages=vision_metadata_messages(data_url),
            schema_name="paper_metadata",
            schema=METADATA_SCHEMA,
        )
        filled = fill_missing(extracted, read_page_metadata(answer))
        warnings = [w for w in filled.warnings if NO_TEXT_LAYER_MARK not in w]
        return replace(filled, method=ExtractionMethod.vision, warnings=warnings)

    async def _read_text(self, path: str, extracted: ExtractedPaper, model: str) -> ExtractedPaper:
        page_text = await asyncio.to_thread(read_first_page_text, path, PAGE_TEXT_CHARS)
        if not page_text.strip():
            return extracted
        answer = await request_json(
            self.client,
            model=model,
            messages=metadata_messages(page_text),
            schema_name="paper_metadata",
            schema=METADATA_SCHEMA,
        )
        filled = fill_missing(extracted, read_page_metadata(answer, page_text=page_text))
        return extracted if filled == extracted else replace(filled, method=ExtractionMethod.llm)


def lacks_text_layer(extracted: ExtractedPaper) -> bool:
    return any(NO_TEXT_LAYER_MARK in warning for warning in extracted.warnings)


def has_missing_fields(extracted: ExtractedPaper) -> bool:
    """Whether the fields every catalog entry wants are incomplete (identifiers are optional)."""
    return not (extracted.title and extracted.authors and extracted.year and extracted.abstract)


def fill_missing(extracted: ExtractedPaper, found: PageMetadata) -> ExtractedPaper:
    """`extracted` with only its empty fields taken from `found`; text-path fields win."""
    changes: dict[str, Any] = {}
    for name in ("title", "authors", "year", "doi", "arxiv_id", "abstract"):
        if not getattr(extracted, name) and getattr(found, name):
            changes[name] = getattr(found, name)
    return replace(extracted, **changes) if changes else extracted


def read_page_metadata(answer: Mapping[str, Any], *, page_text: str | None = None) -> PageMetadata:
    """Clean a model's fields; with `page_text`, identifiers count only if the page shows them."""
    authors = answer.get("authors")
    doi, arxiv_id = _text(answer.get("doi")), _text(answer.get("arxiv_id"))
    if page_text is not None:
        # A made-up identifier is worse than none: keep only what the text layer contains.
        haystack = "".join(page_text.split()).casefold()
        doi = doi if doi and "".join(doi.split()).casefold() in haystack else None
        arxiv_id = arxiv_id if arxiv_id and arxiv_id.casefold() in haystack else None
    return PageMetadata(
        title=_text(answer.get("title")),
        authors=[name for a in authors if (name := _text(a))] if isinstance(authors, list) else [],
        year=_year(answer.get("year")),
        doi=doi,
        arxiv_id=arxiv_id,
        abstract=_text(answer.get("abstract")),
    )


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _year(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if EARLIEST_YEAR <= value <= LATEST_YEAR else None


def render_first_page_png(path: str, dpi: int) -> bytes:
    """Page 1 as a PNG; blocking, so callers run it in a thread."""
    with pymupdf.open(path) as doc:  # type: ignore[no-untyped-call]  # pymupdf lacks hints
        png: bytes = doc[0].get_pixmap(dpi=dpi).tobytes("png")
    return png


def read_first_page_text(path: str, limit: int) -> str:
    """At most `limit` characters of page 1's text layer; blocking, so callers use a thread."""
    with pymupdf.open(path) as doc:  # type: ignore[no-untyped-call]  # pymupdf lacks hints
        text: str = doc[0].get_text("text") if doc.page_count else ""
    return text[:limit]
