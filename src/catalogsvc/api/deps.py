"""Dependencies the routes declare, as Annotated aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from catalogsvc.api.auth import caller_owner
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
    request: Request, owner: Annotated[str | None, Depends(caller_owner)]
) -> JobService:
    """The job service as the caller sees it: with API keys, only the key's own jobs."""
    return get_services(request).jobs.scoped_to(owner)


def get_bus(request: Request) -> EventBus:
    return get_services(request).bus


ServicesDep = Annotated[Services, Depends(get_services)]
JobServiceDep = Annotated[JobService, Depends(get_job_service)]
EventBusDep = Annotated[EventBus, Depends(get_bus)]
