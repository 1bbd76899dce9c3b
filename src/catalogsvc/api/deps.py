"""Dependencies the routes declare, as Annotated aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from catalogsvc.api.auth import KEY_QUERY_PARAMETER, bearer_key, caller_owner
from catalogsvc.jobs.events import EventBus
from catalogsvc.jobs.service import JobService
from catalogsvc.settings import Settings
from catalogsvc.store.repository import Store


@dataclass(frozen=True)
class Services:
    """The long-lived objects built in the app's lifespan."""

    settings: Settings
    store: Store
    bus: EventBus
    jobs: JobService


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_job_service(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_key)],
) -> JobService:
    """The job service as the caller sees it: with API keys, only the key's own jobs."""
    services = get_services(request)
    key = credentials.credentials if credentials else request.query_params.get(KEY_QUERY_PARAMETER)
    return services.jobs.scoped_to(caller_owner(services.settings.api_keys, key))


def get_bus(request: Request) -> EventBus:
    return get_services(request).bus


ServicesDep = Annotated[Services, Depends(get_services)]
JobServiceDep = Annotated[JobService, Depends(get_job_service)]
EventBusDep = Annotated[EventBus, Depends(get_bus)]
