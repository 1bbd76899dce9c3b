"""Dependencies the routes declare, as Annotated aliases.

They are `async def` though none of them awaits: FastAPI runs a plain `def` dependency in
its thread pool, a thread hop per dependency per request (four for an event stream)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials

from catalogsvc.api.auth import bearer_key, caller_owner, query_key
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.service import JobService
from catalogsvc.library.papers import PaperService
from catalogsvc.settings import Settings
from catalogsvc.store.repository import Store


@dataclass(frozen=True)
class Services:
    """The long-lived objects built in the app's lifespan."""

    settings: Settings
    store: Store
    bus: EventBus
    jobs: JobService


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_services(request: Request) -> Services:
    return services_of(request)


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_key)]


async def header_key(credentials: BearerDep) -> str | None:
    """The key of the Authorization header, if any."""
    return credentials.credentials if credentials else None


async def header_or_url_key(
    credentials: BearerDep, key_in_query: Annotated[str | None, Depends(query_key)]
) -> str | None:
    """The header's key, else one in the URL a browser fetches by itself (a stream, a download)."""
    return credentials.credentials if credentials else key_in_query


HeaderKey = Annotated[str | None, Depends(header_key)]
HeaderOrUrlKey = Annotated[str | None, Depends(header_or_url_key)]


def _owner(request: Request, key: str | None) -> str | None:
    return caller_owner(services_of(request).settings.api_keys, key)


async def get_job_service(request: Request, key: HeaderKey) -> JobService:
    """The job service as the caller sees it: with API keys, only the key's own jobs."""
    return services_of(request).jobs.scoped_to(_owner(request, key))


async def get_job_service_for_signed_url(request: Request, key: HeaderOrUrlKey) -> JobService:
    return services_of(request).jobs.scoped_to(_owner(request, key))


async def get_paper_service(request: Request, key: HeaderKey) -> PaperService:
    """Papers as the caller sees them: with API keys, only those of the key's own jobs."""
    return PaperService(services_of(request).store, _owner(request, key))


async def get_paper_service_for_signed_url(request: Request, key: HeaderOrUrlKey) -> PaperService:
    return PaperService(services_of(request).store, _owner(request, key))


async def resolve_job_id(job_id: Annotated[str, Path()], jobs: JobServiceDep) -> str:
    """The path's job id, or a unique prefix of it, as the caller's whole job id."""
    return await jobs.full_id(job_id)


async def resolve_signed_job_id(
    job_id: Annotated[str, Path()], jobs: SignedUrlJobServiceDep
) -> str:
    return await jobs.full_id(job_id)


ServicesDep = Annotated[Services, Depends(get_services)]
PaperServiceDep = Annotated[PaperService, Depends(get_paper_service)]
SignedUrlPaperServiceDep = Annotated[PaperService, Depends(get_paper_service_for_signed_url)]
JobServiceDep = Annotated[JobService, Depends(get_job_service)]
SignedUrlJobServiceDep = Annotated[JobService, Depends(get_job_service_for_signed_url)]
# A job id in a path, whole or a unique prefix of at least 4 characters.
JobId = Annotated[str, Depends(resolve_job_id)]
SignedUrlJobId = Annotated[str, Depends(resolve_signed_job_id)]
