"""Crossref's and OpenAlex's APIs as their documentation describes them, served locally and
scriptable per test: works by DOI, title queries, throttling (429 + Retry-After), hanging."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.local_server import serve_in_loop


@dataclass
class FakeRegistries:
    crossref_works: list[dict[str, Any]] = field(default_factory=list)
    openalex_works: list[dict[str, Any]] = field(default_factory=list)
    throttle: int = 0  # this many next requests are answered 429
    retry_after: str = "1"
    hang: bool = False  # requests are held until the client gives up
    requests: list[tuple[float, str]] = field(default_factory=list)
    hung_up: int = 0  # held requests whose client went away
    hung_up_event: asyncio.Event = field(default_factory=asyncio.Event)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    base_url: str = ""

    @property
    def crossref_url(self) -> str:
        return f"{self.base_url}/crossref"

    @property
    def openalex_url(self) -> str:
        return f"{self.base_url}/openalex"

    def asgi_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/crossref/works/{doi:path}", self._crossref_work),
                Route("/crossref/works", self._crossref_query),
                Route("/openalex/works/{key:path}", self._openalex_work),
                Route("/openalex/works", self._openalex_search),
            ]
        )

    async def wait_for_requests(self, count: int) -> None:
        while len(self.requests) < count:
            self._arrived.clear()
            await self._arrived.wait()

    async def _gate(self, request: Request) -> Response | None:
        self.requests.append((time.monotonic(), str(request.url)))
        self._arrived.set()
        if self.throttle > 0:
            self.throttle -= 1
            return JSONResponse(
                {"message": "rate limit"},
                status_code=429,
                headers={"Retry-After": self.retry_after},
            )
        if self.hang:
            # A GET has no body: the next ASGI message is the disconnect.
            while (await request.receive())["type"] != "http.disconnect":
                pass
            self.hung_up += 1
            self.hung_up_event.set()
            return Response(status_code=499)
        return None

    async def _crossref_work(self, request: Request) -> Response:
        if (refused := await self._gate(request)) is not None:
            return refused
        doi = request.path_params["doi"].lower()
        work = next((w for w in self.crossref_works if w["DOI"].lower() == doi), None)
        if work is None:
            return Response("Resource not found.", status_code=404)
        return JSONResponse({"status": "ok", "message-type": "work", "message": work})

    async def _crossref_query(self, request: Request) -> Response:
        if (refused := await self._gate(request)) is not None:
            return refused
        words = set(request.query_params.get("query.bibliographic", "").lower().split())
        ranked = [w for w in self.crossref_works if words & set(w["title"][0].lower().split())]
        message = {"items": ranked[:5], "total-results": len(ranked)}
        return JSONResponse({"status": "ok", "message-type": "work-list", "message": message})

    async def _openalex_work(self, request: Request) -> Response:
        if (refused := await self._gate(request)) is not None:
            return refused
        key = request.path_params["key"].lower().removeprefix("doi:")
        work = next(
            (w for w in self.openalex_works if w["doi"].lower().endswith(key)),
            None,
        )
        if work is None:
            return JSONResponse({"error": "Not found"}, status_code=404)
        return JSONResponse(work)

    async def _openalex_search(self, request: Request) -> Response:
        if (refused := await self._gate(request)) is not None:
            return refused
        words = set(request.query_params.get("search", "").lower().split())
        ranked = [w for w in self.openalex_works if words & set(w["title"].lower().split())]
        return JSONResponse({"meta": {"count": len(ranked)}, "results": ranked[:5]})


@contextlib.asynccontextmanager
async def serve_fake_registries(**script: Any) -> AsyncIterator[FakeRegistries]:
    fake = FakeRegistries(**script)
    async with serve_in_loop(fake.asgi_app()) as base_url:
        fake.base_url = base_url
        yield fake


def crossref_work(doi: str, title: str, family: str, **more: Any) -> dict[str, Any]:
    """A Crossref work as /works/{doi} has it (api.crossref.org/swagger-ui)."""
    return {
        "DOI": doi,
        "title": [title],
        "author": [{"given": "Kirk E.", "family": family, "sequence": "first"}],
        "container-title": ["Journal of Computational Physics"],
        "volume": "63",
        "issue": "1",
        "page": "222-235",
        "publisher": "Elsevier BV",
        "ISSN": ["0021-9991"],
        "type": "journal-article",
        "published-print": {"date-parts": [[1986, 3]]},
        "abstract": "<jats:title>Abstract</jats:title><jats:p>We evaluate Green&#x27;s "
        "functions <jats:italic>fast</jats:italic>.</jats:p>",
        **more,
    }


def openalex_work(doi: str, title: str, author: str) -> dict[str, Any]:
    """An OpenAlex Work object (docs.openalex.org/api-entities/works/work-object)."""
    return {
        "id": "https://openalex.org/W2741809807",
        "doi": f"https://doi.org/{doi}",
        "title": title,
        "display_name": title,
        "publication_year": 2016,
        "type": "article",
        "authorships": [{"author": {"display_name": author}}],
        "primary_location": {
            "source": {
                "display_name": "Physical Review Letters",
                "issn_l": "0031-9007",
                "host_organization_name": "American Physical Society",
                "type": "journal",
            }
        },
        "biblio": {"volume": "116", "issue": "6", "first_page": "061102", "last_page": None},
        "abstract_inverted_index": {
            "We": [0],
            "observed": [1],
            "waves.": [3],
            "gravitational": [2],
        },
    }
