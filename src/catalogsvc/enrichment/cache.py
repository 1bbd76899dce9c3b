"""The registries' answers kept in the store, read and written off the event loop."""

from __future__ import annotations

import asyncio

from catalogsvc.enrichment.records import RegistryRecord
from catalogsvc.store.registry_cache import cache_record, cached_record
from catalogsvc.store.repository import Store


class StoreRecordCache:
    def __init__(self, store: Store) -> None:
        self._engine = store.engine

    async def get(self, registry: str, doi: str) -> tuple[bool, RegistryRecord | None]:
        known, data = await asyncio.to_thread(cached_record, self._engine, registry, doi)
        return known, RegistryRecord.from_json(data) if data is not None else None

    async def put(self, registry: str, doi: str, record: RegistryRecord | None) -> None:
        data = record.to_json() if record is not None else None
        await asyncio.to_thread(cache_record, self._engine, registry, doi, data)
