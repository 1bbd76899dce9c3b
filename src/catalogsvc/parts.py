"""The long-lived parts a job's work needs, built once per process: the store, the event bus,
status transitions, the extraction pool, the classifier and the metadata reader. The API
process (app.py) and a queue worker (jobs/queue_worker.py) both stand on them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from openai import AsyncOpenAI

from catalogsvc.classification.answer_cache import StoreClassificationCache
from catalogsvc.classification.classifier import Classifier, OfflineClassifier
from catalogsvc.classification.llm_classifier import LLMClassifier
from catalogsvc.domain import Taxonomy
from catalogsvc.enrichment.cache import StoreRecordCache
from catalogsvc.enrichment.crossref import Crossref
from catalogsvc.enrichment.enricher import Enricher, Registry
from catalogsvc.enrichment.http_client import RegistryHttp, registry_client
from catalogsvc.enrichment.openalex import OpenAlex
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.extraction.metadata_reader import MetadataReader
from catalogsvc.extraction.pool import ExtractFn, ExtractionPool
from catalogsvc.jobs.cancel_scope import CancelScope
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.replica import Replica
from catalogsvc.jobs.transitions import JobTransitions
from catalogsvc.llm.client import create_openai_client
from catalogsvc.pipeline.context import JobContext
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.disk_space import DiskReserve
from catalogsvc.store.models import JobRow
from catalogsvc.store.repository import Store

ClassifierFactory = Callable[[Settings], Classifier]


@dataclass(frozen=True)
class Parts:
    settings: Settings
    store: Store
    bus: EventBus
    transitions: JobTransitions
    replica: Replica
    pool: ExtractionPool
    classifier: Classifier
    reader: MetadataReader | None
    enricher: Enricher | None = None

    def context_for(self, job: JobRow, scope: CancelScope) -> JobContext:
        """What one job's pipeline (or one queue task of it) sees."""
        return JobContext(
            job=job,
            taxonomy=Taxonomy.model_validate(job.taxonomy),
            scope=scope,
            store=self.store,
            bus=self.bus,
            transitions=self.transitions,
            pool=self.pool,
            classifier=self.classifier,
            metadata_reader=self.reader,
            classify_batch_size=self.settings.classify_batch_size,
            worker=self.replica.name,
            enricher=self.enricher,
        )


@asynccontextmanager
async def open_parts(
    settings: Settings,
    *,
    extract: ExtractFn = extract_paper,
    classifier_factory: ClassifierFactory | None = None,
    start_pool: bool = True,
) -> AsyncIterator[Parts]:
    """Build the parts (migrating the database first), yield them, and stop them in order.
    Without `start_pool` (an API whose jobs queue workers run) no extraction process starts."""
    await asyncio.to_thread(settings.data_dir.mkdir, parents=True, exist_ok=True)
    # Resolving a relative SQLite path and creating its folder touch the disk.
    engine = await asyncio.to_thread(lambda: create_store_engine(settings.resolved_database_url))
    await asyncio.to_thread(upgrade_schema, engine)
    reserve = DiskReserve(settings.data_dir, settings.disk_reserve_mb * 1024 * 1024)
    await asyncio.to_thread(reserve.restore)
    store = Store(engine, reserve)
    bus = EventBus()
    pool = ExtractionPool(
        extract,
        size=settings.extract_workers,
        timeout_s=settings.file_timeout_s,
        memory_limit_mb=settings.worker_memory_mb or None,
    )
    if start_pool:
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
    registries = None
    if settings.enrich:
        # Building the client reads its CA bundle from disk.
        registries = await asyncio.to_thread(
            registry_client, settings.enrich_timeout_s, settings.contact_email
        )
    try:
        yield Parts(
            settings=settings,
            store=store,
            bus=bus,
            transitions=JobTransitions(store, bus),
            replica=Replica.of_this_process(settings),
            pool=pool,
            classifier=classifier,
            reader=reader,
            enricher=build_enricher(settings, store, registries) if registries else None,
        )
    finally:
        await pool.close()
        if client is not None:
            await client.close()
        if registries is not None:
            await registries.aclose()
        store.close()
        engine.dispose()


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


def build_enricher(settings: Settings, store: Store, client: httpx.AsyncClient) -> Enricher:
    """The registries of CATALOGSVC_ENRICH, in its order, over one HTTP client."""
    http = RegistryHttp(
        client,
        slots=asyncio.Semaphore(settings.enrich_max_concurrency),
        max_retries=settings.enrich_max_retries,
        deadline_s=settings.enrich_timeout_s,
    )
    registries: list[Registry] = [
        Crossref(http, settings.crossref_url, settings.contact_email)
        if name == "crossref"
        else OpenAlex(http, settings.openalex_url, settings.contact_email)
        for name in settings.enrich
    ]
    return Enricher(registries, StoreRecordCache(store))


def build_openai_client(settings: Settings) -> AsyncOpenAI | None:
    """One client for the service's lifetime, only when a model is configured."""
    if not (settings.llm_model or settings.vision_model):
        return None
    return create_openai_client(
        timeout_s=settings.llm_timeout_s, max_retries=settings.llm_max_retries
    )
