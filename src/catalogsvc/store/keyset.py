"""A page of an ordered query: the rows after a key, in key order, at most so many."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def page_after(query: Query, key: Any, after: int | None, limit: int | None) -> Query:
    """`query`'s rows with `key` above `after` (all, when None), ordered by `key`, at most
    `limit` of them (all, when None)."""
    if after is not None:
        query = query.where(key > after)
    return query.order_by(key).limit(limit)
