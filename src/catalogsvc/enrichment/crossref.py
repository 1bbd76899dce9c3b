"""Crossref's REST API (api.crossref.org): a work by DOI, and works by title and author."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from catalogsvc.domain import FieldSource, PaperType
from catalogsvc.enrichment.http_client import RegistryHttp
from catalogsvc.enrichment.records import RegistryRecord, first, strip_markup

# Crossref's work types (api.crossref.org/types) as catalogsvc's paper types.
_TYPES = {
    "journal-article": PaperType.article,
    "proceedings-article": PaperType.proceedings_paper,
    "posted-content": PaperType.preprint,
    "report": PaperType.report,
    "dissertation": PaperType.thesis,
}
_DATE_FIELDS = ("published-print", "published-online", "published", "issued", "created")


class Crossref:
    name = "crossref"

    def __init__(self, http: RegistryHttp, base_url: str, contact_email: str | None) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._polite = {"mailto": contact_email} if contact_email else {}

    async def by_doi(self, doi: str) -> RegistryRecord | None:
        answer = await self._http.get_json(
            f"{self._base}/works/{quote(doi, safe='/')}", self._polite or None
        )
        return parse_work(answer["message"]) if isinstance(answer, dict) else None

    async def by_title(self, title: str, author: str | None) -> list[RegistryRecord]:
        params = {"query.bibliographic": title, "rows": "5", **self._polite}
        if author:
            params["query.author"] = author
        answer = await self._http.get_json(f"{self._base}/works", params)
        items = answer.get("message", {}).get("items", []) if isinstance(answer, dict) else []
        return [parse_work(item) for item in items if isinstance(item, dict)]


def parse_work(work: dict[str, Any]) -> RegistryRecord:
    """A Crossref work object (api.crossref.org/swagger-ui, "Work") as a record."""
    return RegistryRecord(
        source=FieldSource.crossref,
        doi=(work.get("DOI") or "").strip() or None,
        title=first(work.get("title")),
        author_families=[a["family"] for a in work.get("author", []) if a.get("family")],
        year=_year(work),
        venue=first(work.get("container-title")),
        volume=first(work.get("volume")),
        issue=first(work.get("issue")),
        page_range=first(work.get("page")) or first(work.get("article-number")),
        publisher=first(work.get("publisher")),
        issn=first(work.get("ISSN")),
        type=_TYPES.get(str(work.get("type"))),
        abstract=strip_markup(work.get("abstract")),
    )


def _year(work: dict[str, Any]) -> int | None:
    for name in _DATE_FIELDS:
        parts = (work.get(name) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and isinstance(parts[0][0], int):
            return parts[0][0]
    return None
