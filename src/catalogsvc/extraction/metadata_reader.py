"""Fill what the text path missed: a vision model reads scanned pages, an LLM fills gaps."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Annotated, Any, Protocol, TypeVar

from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, ValidationError, ValidatorFunctionWrapHandler, WrapValidator

from catalogsvc.domain import ExtractedPaper, ExtractionMethod, FieldSource
from catalogsvc.errors import CatalogError
from catalogsvc.extraction.extract import NO_TEXT_LAYER
from catalogsvc.extraction.first_page import read_first_page_text, render_first_page_png
from catalogsvc.extraction.identifiers import normalize_arxiv_id, normalize_doi
from catalogsvc.extraction.text_cleanup import CONTROL_CHARACTERS
from catalogsvc.llm.client import request_json, strict_schema
from catalogsvc.llm.prompts import metadata_messages, vision_metadata_messages

log = logging.getLogger(__name__)
T = TypeVar("T")
PAGE_TEXT_CHARS = 6000
RENDER_DPI = 150
EARLIEST_YEAR, LATEST_YEAR = 1500, 2100


def _or_none(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """A field the model got wrong is dropped, not the whole answer."""
    try:
        return handler(value)
    except ValidationError:
        return None


MaybeText = Annotated[str | None, WrapValidator(_or_none)]
MaybeYear = Annotated[int | None, WrapValidator(_or_none)]


class PageAnswer(BaseModel):
    """What the model is asked to read on page 1; null where the page does not show it (a
    field it leaves out is one it did not read)."""

    title: MaybeText = None
    authors: Annotated[list[MaybeText], WrapValidator(_or_none)] = []
    year: MaybeYear = None
    doi: MaybeText = None
    arxiv_id: MaybeText = None
    abstract: MaybeText = None


METADATA_SCHEMA = strict_schema(PageAnswer)
_FIELDS = tuple(PageAnswer.model_fields)


class PdfRunner(Protocol):
    """Runs one blocking reading of a PDF where a crashing or hanging file can do no harm."""

    async def __call__(self, read: Callable[[str], T], path: str) -> T: ...


async def run_in_thread(read: Callable[[str], T], path: str) -> T:
    return await asyncio.to_thread(read, path)


class MetadataReader:
    """Second pass over one extracted PDF with the models that are configured (either may be
    None); any failure leaves the paper as the text path read it, with a warning.

    The service passes the extraction pool as `run_pdf`, so PyMuPDF never runs in its threads,
    and the `request_slots` the classifier also holds, so LLM_MAX_CONCURRENCY bounds both.
    """

    def __init__(
        self,
        client: AsyncOpenAI,
        *,
        llm_model: str | None,
        vision_model: str | None,
        request_slots: asyncio.Semaphore,
        run_pdf: PdfRunner = run_in_thread,
    ) -> None:
        self.client = client
        self.llm_model = llm_model
        self.vision_model = vision_model
        self._request_slots = request_slots
        self._run_pdf = run_pdf

    async def refine(self, path: str, extracted: ExtractedPaper) -> ExtractedPaper:
        """The paper with a scanned page 1 read by the vision model, or its gaps filled."""
        try:
            if self.vision_model and lacks_text_layer(extracted):
                return await self._read_image(path, extracted, self.vision_model)
            if self.llm_model and has_missing_fields(extracted):
                return await self._read_text(path, extracted, self.llm_model)
        except CatalogError as error:  # the model's, the client's or the pool's own message
            return _with_warning(extracted, error.detail)
        except Exception as error:  # one file's second pass must never fail its job
            log.exception("reading %s with a model failed", path)
            return _with_warning(
                extracted, f"reading with a model failed: {type(error).__name__}: {error}"
            )
        return extracted

    async def _read_image(self, path: str, extracted: ExtractedPaper, model: str) -> ExtractedPaper:
        png = await self._run_pdf(partial(render_first_page_png, dpi=RENDER_DPI), path)
        data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        answer = await self._ask(model, vision_metadata_messages(data_url))
        filled = fill_missing(extracted, read_page_metadata(answer))
        warnings = [w for w in filled.warnings if w != NO_TEXT_LAYER]
        return replace(filled, method=ExtractionMethod.vision, warnings=warnings)

    async def _read_text(self, path: str, extracted: ExtractedPaper, model: str) -> ExtractedPaper:
        page_text = await self._run_pdf(partial(read_first_page_text, limit=PAGE_TEXT_CHARS), path)
        if not page_text.strip():
            return extracted
        answer = await self._ask(model, metadata_messages(page_text))
        filled = fill_missing(extracted, read_page_metadata(answer, page_text=page_text))
        return extracted if filled is extracted else replace(filled, method=ExtractionMethod.llm)

    async def _ask(self, model: str, messages: Sequence[ChatCompletionMessageParam]) -> PageAnswer:
        async with self._request_slots:
            return await request_json(
                self.client, model=model, messages=messages, answer=PageAnswer
            )


def _with_warning(extracted: ExtractedPaper, warning: str) -> ExtractedPaper:
    return replace(extracted, warnings=[*extracted.warnings, warning])


def lacks_text_layer(extracted: ExtractedPaper) -> bool:
    return NO_TEXT_LAYER in extracted.warnings


def has_missing_fields(extracted: ExtractedPaper) -> bool:
    """Whether the fields every catalog entry wants are incomplete (identifiers are optional)."""
    return not (extracted.title and extracted.authors and extracted.year and extracted.abstract)


def fill_missing(extracted: ExtractedPaper, found: PageAnswer) -> ExtractedPaper:
    """`extracted` with only its empty fields taken from `found`; text-path fields win."""
    changes: dict[str, Any] = {}
    for name in _FIELDS:
        if not getattr(extracted, name) and getattr(found, name):
            changes[name] = getattr(found, name)
    if not changes:
        return extracted
    sources = {**extracted.sources, **dict.fromkeys(changes, FieldSource.llm)}
    return replace(extracted, **changes, sources=sources)


def read_page_metadata(answer: PageAnswer, *, page_text: str | None = None) -> PageAnswer:
    """The answer's fields cleaned; with `page_text`, identifiers count only if the page shows
    them."""
    doi = normalize_doi(answer.doi) if answer.doi else None
    arxiv_id = normalize_arxiv_id(answer.arxiv_id) if answer.arxiv_id else None
    if page_text is not None:
        # A made-up identifier is worse than none: keep only what the text layer contains.
        haystack = "".join(page_text.split()).casefold()
        doi = doi if doi and "".join(doi.split()).casefold() in haystack else None
        arxiv_id = arxiv_id if arxiv_id and arxiv_id.casefold() in haystack else None
    return PageAnswer.model_construct(
        title=_text(answer.title),
        authors=[name for author in answer.authors or [] if (name := _text(author))],
        year=answer.year if answer.year and EARLIEST_YEAR <= answer.year <= LATEST_YEAR else None,
        doi=doi,
        arxiv_id=arxiv_id,
        abstract=_text(answer.abstract),
    )


def _text(value: str | None) -> str | None:
    """The answer's string with control characters and runs of white space made one space."""
    if value is None:
        return None
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split()) or None
