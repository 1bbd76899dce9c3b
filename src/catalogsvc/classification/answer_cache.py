"""The cache of model answers per (paper sha256, taxonomy key, model): the Store's, or in memory."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Protocol

from catalogsvc.domain import CategoryAssignment, Taxonomy
from catalogsvc.store.repository import Store


def taxonomy_key(taxonomy: Taxonomy) -> str:
    """The sha256 of the taxonomy's canonical JSON: equal taxonomies share cached answers."""
    canonical = json.dumps(
        taxonomy.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class ClassificationCache(Protocol):
    async def get(
        self, sha256s: Sequence[str], taxonomy_key: str, model: str
    ) -> dict[str, CategoryAssignment]: ...

    async def put(
        self, entries: Mapping[str, CategoryAssignment], taxonomy_key: str, model: str
    ) -> None: ...


class StoreClassificationCache:
    """The cache in the database, through the Store's synchronous methods in a thread."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(
        self, sha256s: Sequence[str], taxonomy_key: str, model: str
    ) -> dict[str, CategoryAssignment]:
        return await asyncio.to_thread(
            self.store.cached_categories, list(sha256s), taxonomy_key, model
        )

    async def put(
        self, entries: Mapping[str, CategoryAssignment], taxonomy_key: str, model: str
    ) -> None:
        await asyncio.to_thread(self.store.cache_categories, dict(entries), taxonomy_key, model)


class InMemoryClassificationCache:
    """The cache in a dict, for unit tests and runs without a database."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str], CategoryAssignment] = {}

    async def get(
        self, sha256s: Sequence[str], taxonomy_key: str, model: str
    ) -> dict[str, CategoryAssignment]:
        found = ((sha256, self.entries.get((sha256, taxonomy_key, model))) for sha256 in sha256s)
        return {sha256: assignment for sha256, assignment in found if assignment is not None}

    async def put(
        self, entries: Mapping[str, CategoryAssignment], taxonomy_key: str, model: str
    ) -> None:
        for sha256, assignment in entries.items():
            self.entries.setdefault((sha256, taxonomy_key, model), assignment)
