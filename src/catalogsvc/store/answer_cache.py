"""The cache of model answers in the database: one row per (paper sha256, taxonomy, model)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from catalogsvc.domain import CategoryAssignment
from catalogsvc.store.models import ClassificationCacheRow

log = logging.getLogger("catalogsvc.store")

# Each lost race on the cache's unique key means another writer added rows; a few suffice.
CACHE_WRITE_ATTEMPTS = 3


def cached_categories(
    engine: Engine, sha256s: Sequence[str], taxonomy_key: str, model: str
) -> dict[str, CategoryAssignment]:
    with Session(engine) as session:
        return _cached_categories(session, sha256s, taxonomy_key, model)


def cache_categories(
    engine: Engine, entries: dict[str, CategoryAssignment], taxonomy_key: str, model: str
) -> None:
    """Cache the answers not cached yet. The first answer stands: when another job caches
    the same answer between this read and write, the write loses on the unique key and
    is retried with what is still missing. Caching is a saving, so it never raises for
    a lost race."""
    for _ in range(CACHE_WRITE_ATTEMPTS):
        with Session(engine) as session:
            known = _cached_categories(session, list(entries), taxonomy_key, model)
            for sha256, assignment in entries.items():
                if sha256 not in known:
                    session.add(
                        ClassificationCacheRow(
                            sha256=sha256,
                            taxonomy_key=taxonomy_key,
                            model=model,
                            category=assignment.category,
                            score=assignment.score,
                        )
                    )
            try:
                session.commit()
                return
            except IntegrityError:
                session.rollback()
    # The answers are in hand; only the saving for a later run is lost.
    log.warning("gave up caching %d answers after concurrent writes", len(entries))


def _cached_categories(
    session: Session, sha256s: Sequence[str], taxonomy_key: str, model: str
) -> dict[str, CategoryAssignment]:
    query = select(ClassificationCacheRow).where(
        col(ClassificationCacheRow.sha256).in_(sha256s),
        ClassificationCacheRow.taxonomy_key == taxonomy_key,
        ClassificationCacheRow.model == model,
    )
    return {
        row.sha256: CategoryAssignment(row.category, row.score) for row in session.exec(query).all()
    }
