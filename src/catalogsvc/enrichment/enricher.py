"""Enricher: one extracted paper looked up in the configured registries, in order; what they
know fills in or replaces what the PDF gave, never a user's correction. A registry that is
down or slow leaves the PDF's values standing, with a warning, and never fails the file."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from catalogsvc.domain import ExtractedPaper, FieldSource
from catalogsvc.enrichment.http_client import RegistryUnavailable
from catalogsvc.enrichment.matching import same_work
from catalogsvc.enrichment.records import RegistryRecord, sanitized
from catalogsvc.extraction.identifiers import normalize_doi

log = logging.getLogger("catalogsvc.enrichment")

# The publisher's record beats what was read from the page for these…
REGISTRY_FIRST = ("year", "venue", "volume", "issue", "page_range", "publisher", "issn", "type")
# …and only fills these where the page gave nothing.
IF_MISSING = ("doi", "abstract")


class Registry(Protocol):
    name: str

    async def by_doi(self, doi: str) -> RegistryRecord | None: ...

    async def by_title(self, title: str, author: str | None) -> list[RegistryRecord]: ...


class RecordCache(Protocol):
    """Answers by DOI across jobs; a miss is remembered too (found=True, record None)."""

    async def get(self, registry: str, doi: str) -> tuple[bool, RegistryRecord | None]: ...

    async def put(self, registry: str, doi: str, record: RegistryRecord | None) -> None: ...


class Enricher:
    def __init__(self, registries: Sequence[Registry], cache: RecordCache) -> None:
        self._registries = registries
        self._cache = cache

    async def enrich(self, paper: ExtractedPaper) -> ExtractedPaper:
        for registry in self._registries:
            try:
                record = await self._look_up(registry, paper)
            except RegistryUnavailable as error:
                log.warning("%s: %s", registry.name, error)
                paper = _warn(paper, f"{registry.name} could not be asked ({error})")
                continue
            except Exception as error:  # an answer unlike the documented one: not the file's fault
                log.exception("%s answered something unreadable", registry.name)
                paper = _warn(paper, f"{registry.name}'s answer could not be read ({error!r})")
                continue
            if record is not None:
                paper = apply_record(paper, record)
        return paper

    async def _look_up(self, registry: Registry, paper: ExtractedPaper) -> RegistryRecord | None:
        doi = paper.doi or (f"10.48550/arXiv.{paper.arxiv_id}" if paper.arxiv_id else None)
        if doi is not None:
            return await self._by_doi(registry, doi)
        if not paper.title:
            return None
        first_author = paper.authors[0] if paper.authors else None
        candidates = await registry.by_title(paper.title, first_author)
        return next(
            (r for r in candidates if same_work(paper.title, first_author, paper.year, r)), None
        )

    async def _by_doi(self, registry: Registry, doi: str) -> RegistryRecord | None:
        key = doi.lower()
        known, record = await self._cache.get(registry.name, key)
        if known:
            return record
        record = await registry.by_doi(doi)
        await self._cache.put(registry.name, key, record)
        return record


def _warn(paper: ExtractedPaper, problem: str) -> ExtractedPaper:
    return replace(paper, warnings=[*paper.warnings, f"{problem}; the PDF's values stand"])


def apply_record(paper: ExtractedPaper, record: RegistryRecord) -> ExtractedPaper:
    """The paper with the record's values where they may go, each field's source updated."""
    record = sanitized(record)
    sources = dict(paper.sources)
    values: dict[str, Any] = {}
    for name in (*REGISTRY_FIRST, *IF_MISSING):
        value = getattr(record, name)
        if name == "doi":
            value = normalize_doi(value) if value else None
        current = getattr(paper, name)
        if value is None or value == current or not _open(name, current, sources):
            continue
        values[name] = value
        sources[name] = record.source
    return replace(paper, **values, sources=sources) if values else paper


def _open(name: str, current: object, sources: dict[str, FieldSource]) -> bool:
    """Whether a registry may set the field: never over a user's value or an earlier
    registry's; over the page's only for the publisher's own fields."""
    source = sources.get(name)
    if source in (FieldSource.user, FieldSource.crossref, FieldSource.openalex):
        return False
    return current is None or name in REGISTRY_FIRST
