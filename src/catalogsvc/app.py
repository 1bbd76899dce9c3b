"""create_app(settings): the FastAPI application, its lifespan, routers and error handlers."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.lowlevel
from fastapi import FastAPI

from catalogsvc import __version__
from catalogsvc.api.deps import Services
from catalogsvc.api.docs import install_docs
from catalogsvc.api.errors import install_error_handlers
from catalogsvc.api.routes import catalog, events, health, jobs, papers, taxonomies
from catalogsvc.api.routes.web import mount_web_app
from catalogsvc.api.upload_limit import UploadSizeLimit
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.extraction.pool import ExtractFn
from catalogsvc.jobs.leases import LeaseKeeper
from catalogsvc.jobs.runner import JobRunner
from catalogsvc.jobs.service import JobService
from catalogsvc.parts import ClassifierFactory, open_parts
from catalogsvc.pipeline.context import JobContext
from catalogsvc.pipeline.run import run_pipeline
from catalogsvc.settings import Settings

log = logging.getLogger("catalogsvc")

# How often a replica looks for its jobs being cancelled through another replica.
STORE_WATCH_INTERVAL_S = 0.5


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    extract: ExtractFn = extract_paper,
    classifier_factory: ClassifierFactory | None = None,
) -> AsyncIterator[tuple[Services, JobRunner[JobContext]]]:
    """Build every long-lived object, yield them, and stop them in order. With the task queue
    (PostgreSQL) the API defers jobs and workers run them (this process too, with SERVE_WORKS);
    without it (SQLite) jobs run here, and leases keep replicas off each other's jobs."""
    queued = settings.queue_enabled
    async with open_parts(
        settings,
        extract=extract,
        classifier_factory=classifier_factory,
        start_pool=not queued or settings.serve_works,
    ) as parts:
        queue = None
        leases = LeaseKeeper(parts.transitions, parts.replica)
        background = []
        if queued:
            # procrastinate comes with the postgresql extra: imported only when asked for.
            from catalogsvc.jobs.task_queue import TaskQueue
            from catalogsvc.worker import work_on_queue

            queue = TaskQueue(settings.resolved_database_url, settings.queue_batch_size)
            if settings.serve_works:
                work = work_on_queue(parts, install_signal_handlers=False)
                background.append(asyncio.create_task(work, name="queue-worker"))
            else:
                log.info(
                    "jobs go to the task queue: `catalogsvc worker` processes run them "
                    "(or CATALOGSVC_SERVE_WORKS=true for this process to run them too)"
                )
        elif stale := await leases.recover_at_start():
            log.warning("marked %d job(s) no live process holds as interrupted", len(stale))
        runner = JobRunner(
            parts.transitions,
            run_pipeline,
            parts.context_for,
            max_concurrent_jobs=settings.max_concurrent_jobs,
        )
        service = JobService(
            settings,
            parts.store,
            parts.transitions,
            runner,
            parts.classifier.name,
            parts.replica,
            queue=queue,
        )
        if queue is None:
            background += [
                asyncio.create_task(runner.watch_store(STORE_WATCH_INTERVAL_S)),
                asyncio.create_task(leases.run()),
            ]
        try:
            services = Services(settings=settings, store=parts.store, bus=parts.bus, jobs=service)
            yield services, runner
        finally:
            for task in background:
                task.cancel()
            # A queue worker drains its tasks first (procrastinate's graceful shutdown).
            await asyncio.gather(*background, return_exceptions=True)
            await runner.shutdown()


def create_app(
    settings: Settings,
    *,
    extract: ExtractFn = extract_paper,
    classifier_factory: ClassifierFactory | None = None,
) -> FastAPI:
    """The whole service; tests pass their own settings, extractor or classifier."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(
            settings, extract=extract, classifier_factory=classifier_factory
        ) as (services, runner):
            app.state.services = services
            app.state.runner = runner
            # anyio loads its asyncio backend on first use; no route but the event stream uses
            # anyio now, and its first listener would wait 0.2 s for the import on the loop.
            await anyio.lowlevel.checkpoint()
            # What start-up built (the app, its schemas, the models) lives as long as the
            # process: out of the collector's sight, a full collection no longer walks it, and
            # a request that allocates a 1,000-paper page no longer pays for one at times.
            gc.freeze()
            yield

    app = FastAPI(
        title="catalogsvc",
        version=__version__,
        summary="Turn batches of scholarly PDFs into a classified catalog.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_docs(app)
    install_error_handlers(app)
    for module in (jobs, papers, catalog, events, taxonomies, health):
        app.include_router(module.router)
    mount_web_app(app)
    app.add_middleware(
        UploadSizeLimit,
        max_upload_mb=settings.max_upload_mb,
        routes=[("POST", app.url_path_for("submit_upload_job"))],
    )
    return app
