"""OpenAlex's API (api.openalex.org): a work by DOI, and works found by title."""

from __future__ import annotations

from typing import Any

from catalogsvc.domain import FieldSource, PaperType
from catalogsvc.enrichment.http_client import RegistryHttp
from catalogsvc.enrichment.records import RegistryRecord, first, page_range

_DOI_PREFIX = "https://doi.org/"


class OpenAlex:
    name = "openalex"

    def __init__(self, http: RegistryHttp, base_url: str, contact_email: str | None) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._polite = {"mailto": contact_email} if contact_email else {}

    async def by_doi(self, doi: str) -> RegistryRecord | None:
        answer = await self._http.get_json(f"{self._base}/works/doi:{doi}", self._polite or None)
        return parse_work(answer) if isinstance(answer, dict) else None

    async def by_title(self, title: str, author: str | None) -> list[RegistryRecord]:
        params = {"search": title, "per-page": "5", **self._polite}
        answer = await self._http.get_json(f"{self._base}/works", params)
        results = answer.get("results", []) if isinstance(answer, dict) else []
        return [parse_work(work) for work in results if isinstance(work, dict)]


def parse_work(work: dict[str, Any]) -> RegistryRecord:
    """An OpenAlex Work object (docs.openalex.org, "Work object") as a record."""
    location = work.get("primary_location") or {}
    source = location.get("source") or {}
    biblio = work.get("biblio") or {}
    doi = str(work.get("doi") or "")
    return RegistryRecord(
        source=FieldSource.openalex,
        doi=doi.removeprefix(_DOI_PREFIX) or None,
        title=first(work.get("title") or work.get("display_name")),
        author_families=[
            name.split()[-1]
            for authorship in work.get("authorships", [])
            if (name := (authorship.get("author") or {}).get("display_name"))
        ],
        year=work.get("publication_year")
        if isinstance(work.get("publication_year"), int)
        else None,
        venue=first(source.get("display_name")),
        volume=first(biblio.get("volume")),
        issue=first(biblio.get("issue")),
        page_range=page_range(first(biblio.get("first_page")), first(biblio.get("last_page"))),
        publisher=first(source.get("host_organization_name")),
        issn=first(source.get("issn_l")),
        type=_paper_type(str(work.get("type") or ""), str(source.get("type") or "")),
        abstract=_abstract(work.get("abstract_inverted_index")),
    )


def _paper_type(work_type: str, source_type: str) -> PaperType | None:
    if work_type == "article":
        return PaperType.proceedings_paper if source_type == "conference" else PaperType.article
    return {
        "preprint": PaperType.preprint,
        "report": PaperType.report,
        "dissertation": PaperType.thesis,
    }.get(work_type)


def _abstract(inverted: Any) -> str | None:
    """OpenAlex keeps abstracts as {word: [positions]}; the words back in order."""
    if not isinstance(inverted, dict) or not inverted:
        return None
    placed = sorted(
        (position, word)
        for word, positions in inverted.items()
        for position in positions
        if isinstance(position, int)
    )
    return " ".join(word for _, word in placed) or None
