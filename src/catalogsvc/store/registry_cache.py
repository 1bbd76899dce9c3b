"""The registries' answers by DOI, one row per (registry, DOI), kept across jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from catalogsvc.store.models import RegistryCacheRow


def cached_record(engine: Engine, registry: str, doi: str) -> tuple[bool, dict[str, Any] | None]:
    """(whether the registry was asked already, its answer: None when it knew no such work)."""
    query = select(RegistryCacheRow).where(
        RegistryCacheRow.source == registry, RegistryCacheRow.doi == doi
    )
    with Session(engine) as session:
        row = session.exec(query).first()
    return (False, None) if row is None else (True, row.record)


def cache_record(engine: Engine, registry: str, doi: str, record: dict[str, Any] | None) -> None:
    """Keep an answer; when another job kept the same one meanwhile, the first stands."""
    with Session(engine) as session:
        session.add(RegistryCacheRow(source=registry, doi=doi, record=record))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
