"""create_app(settings): the FastAPI application, its lifespan, routers and error handlers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from openai import AsyncOpenAI

from catalogsvc import __version__
from catalogsvc.api.deps import Services
from catalogsvc.api.docs import install_docs
from catalogsvc.api.errors import install_error_handlers
from catalogsvc.api.routes import catalog, events, health, jobs, taxonomies
from catalogsvc.api.routes.web import mount_web_app
from catalogsvc.api.upload_limit import UploadSizeLimit
from catalogsvc.classification.answer_cache import StoreClassificationCache
from catalogsvc.classification.classifier import Classifier, OfflineClassifier
from catalogsvc.classification.llm_classifier import LLMClassifier
from catalogsvc.domain import Taxonomy
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.extraction.metadata_reader import MetadataReader
from catalogsvc.extraction.pool import ExtractFn, ExtractionPool
from catalogsvc.jobs.cancel_scope import CancelScope
from catalogsvc.jobs.events import EventBus
from catalogsvc.jobs.leases import LeaseKeeper
from catalogsvc.jobs.replica import Replica
from catalogsvc.jobs.runner import JobRunner
from catalogsvc.jobs.service import JobService
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.llm.client import create_openai_client
from catalogsvc.pipeline.context import JobContext
from catalogsvc.pipeline.run import run_pipeline
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.disk_space import DiskReserve
from catalogsvc.store.models import JobRow
from catalogsvc.store.repository import Store

log = logging.getLogger("catalogsvc")

ClassifierFactory = Callable[[Settings], Classifier]

# How often a replica looks for its jobs being cancelled through another replica.
STORE_WATCH_INTERVAL_S = 0.5


def build_classifier(
    settings: Settings,
    store: Store,
    client: AsyncOpenAI | None,
    request_slots: asyncio.Semaphore,
) -> Classifier:
    """The LLM classifier when CATALOGSVC_LLM_MODEL is set, else the offline one."""
    if settings.llm_model and client is not None:
        return LLMClassifier(
            client,
            settings.llm_model,
            cache=StoreClassificationCache(store),
            batch_size=settings.llm_batch_size,
            request_slots=request_slots,
        )
    return OfflineClassifier()


def build_openai_client(settings: Settings) -> AsyncOpenAI | None:
    """One client for the service's lifetime, only when a model is configured."""
    if not (settings.llm_model or settings.vision_model):
        return None
    return create_openai_client(
        timeout_s=settings.llm_timeout_s, max_retries=settings.llm_max_retries
    )


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    extract: ExtractFn = extract_paper,
    classifier_factory: ClassifierFactory | None = None,
) -> AsyncIterator[tuple[Services, JobRunner[JobContext]]]:
    """Build every long-lived object, yield them, and stop them in order."""
    await asyncio.to_thread(settings.data_dir.mkdir, parents=True, exist_ok=True)
    # Resolving a relative SQLite path and creating its folder touch the disk.
    engine = await asyncio.to_thread(lambda: create_store_engine(settings.resolved_database_url))
    await asyncio.to_thread(upgrade_schema, engine)
    reserve = DiskReserve(settings.data_dir, settings.disk_reserve_mb * 1024 * 1024)
    await asyncio.to_thread(reserve.restore)
    store = Store(engine, reserve)
    bus = EventBus()
    transitions = JobTransitions(store, bus)
    replica = Replica.of_this_process(settings)
    leases = LeaseKeeper(transitions, replica)
    stale = await leases.recover_at_start()
    if stale:
        log.warning("marked %d job(s) no live process holds as interrupted", len(stale))
    pool = ExtractionPool(
        extract,
        size=settings.extract_workers,
        timeout_s=settings.file_timeout_s,
        memory_limit_mb=settings.worker_memory_mb or None,
    )
    await pool.start()
    # Building the client reads its CA bundle from disk.
    client = await asyncio.to_thread(build_openai_client, settings)
    # One bound for every request to the models, classification and metadata reading alike.
    request_slots = asyncio.Semaphore(settings.llm_max_concurrency)
    if classifier_factory is not None:
        classifier = classifier_factory(settings)
    else:
        classifier = build_classifier(settings, store, client, request_slots)
    reader = None
    if client is not None:
        reader = MetadataReader(
            client,
            llm_model=settings.llm_model,
            vision_model=settings.vision_model,
            request_slots=request_slots,
            run_pdf=pool.run,
        )

    def context_for(job: JobRow, scope: CancelScope) -> JobContext:
        return JobContext(
            job=job,
            taxonomy=Taxonomy.model_validate(job.taxonomy),
            scope=scope,
            store=store,
            bus=bus,
            transitions=transitions,
            pool=pool,
            classifier=classifier,
            metadata_reader=reader,
            classify_batch_size=settings.classify_batch_size,
            worker=replica.name,
        )

    runner = JobRunner(
        transitions, run_pipeline, context_for, max_concurrent_jobs=settings.max_concurrent_jobs
    )
    service = JobService(settings, store, transitions, runner, classifier.name, replica)
    watcher = asyncio.create_task(runner.watch_store(STORE_WATCH_INTERVAL_S))
    lease_keeper = asyncio.create_task(leases.run())
    try:
        yield Services(settings=settings, store=store, bus=bus, jobs=service), runner
    finally:
        watcher.cancel()
        lease_keeper.cancel()
        await runner.shutdown()
        await pool.close()
        if client is not None:
            await client.close()
        engine.dispose()


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
    for module in (jobs, catalog, events, taxonomies, health):
        app.include_router(module.router)
    mount_web_app(app)
    app.add_middleware(
        UploadSizeLimit,
        max_upload_mb=settings.max_upload_mb,
        routes=[("POST", app.url_path_for("submit_upload_job"))],
    )
    return app
