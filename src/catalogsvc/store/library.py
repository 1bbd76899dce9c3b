"""Papers across jobs: full-text search (migration 0011's index, never a table scan for the
words) and filters, newest first, a page at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    bindparam,
    column,
    false,
    func,
    literal_column,
    or_,
    text,
    true,
)
from sqlmodel import Session, col, select

from catalogsvc.domain import Paper
from catalogsvc.store.models import JobRow, PaperRow

# As migration 0011 indexes it: PostgreSQL uses the index for this very expression.
_PG_DOCUMENT: ColumnElement[Any] = literal_column(
    "to_tsvector('simple', coalesce(papers.title, '') || ' ' || coalesce(papers.authors::text, '')"
    " || ' ' || coalesce(papers.abstract, '') || ' ' || coalesce(papers.venue, ''))"
)
_WORD = re.compile(r"\w+", re.UNICODE)
LOW_SCORE = 0.3  # a category the classifier gave with less confidence wants a look


@dataclass(frozen=True, slots=True)
class PaperQuery:
    text: str | None = None
    category: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    venue: str | None = None
    job_id: str | None = None
    needs_review: bool | None = None
    ids: tuple[int, ...] | None = None
    limit: int = 50
    before_id: int | None = None


def search_papers(engine: Engine, query: PaperQuery, owner: str | None) -> list[Paper]:
    """The papers matching `query` that `owner` may see, highest id (newest) first."""
    statement = select(PaperRow).join(JobRow, col(JobRow.id) == PaperRow.job_id)
    conditions: list[ColumnElement[bool]] = []
    if owner is not None:
        conditions.append(col(JobRow.owner) == owner)
    if query.text:
        conditions.append(_matches(engine, query.text))
    if query.category is not None:
        # Categories are names people type: "statistics" finds "Statistics".
        conditions.append(func.lower(PaperRow.category) == query.category.lower())
    if query.year_from is not None:
        conditions.append(col(PaperRow.year) >= query.year_from)
    if query.year_to is not None:
        conditions.append(col(PaperRow.year) <= query.year_to)
    if query.venue:
        conditions.append(col(PaperRow.venue).ilike(f"%{_escape_like(query.venue)}%", escape="\\"))
    if query.job_id:
        conditions.append(col(PaperRow.job_id) == query.job_id)
    if query.needs_review is not None:
        review = _needs_review()
        conditions.append(review if query.needs_review else ~review)
    if query.ids is not None:
        conditions.append(col(PaperRow.id).in_(query.ids))
    if query.before_id is not None:
        conditions.append(col(PaperRow.id) < query.before_id)
    statement = statement.where(and_(true(), *conditions)).order_by(col(PaperRow.id).desc())
    with Session(engine) as session:
        rows = session.exec(statement.limit(query.limit)).all()
    return [Paper.model_validate(row.model_dump()) for row in rows]


def _matches(engine: Engine, words: str) -> ColumnElement[bool]:
    """Every word of `words` in the title, authors, abstract or venue, by the index."""
    return matches_any(engine, [words])


def matches_any(engine: Engine, texts: list[str]) -> ColumnElement[bool]:
    """Papers holding every word of one of `texts` (in title, authors, abstract or venue),
    found through the full-text index in one lookup."""
    groups = [tokens for text in texts if (tokens := _WORD.findall(text))]
    if not groups:
        return false()
    if engine.dialect.name == "sqlite":
        # Each word quoted: FTS5's own syntax (AND, NEAR, *, column:) stays out of users' way.
        match = " OR ".join(
            "(" + " ".join('"' + token.replace('"', '""') + '"' for token in tokens) + ")"
            for tokens in groups
        )
        found = text("SELECT rowid FROM papers_search WHERE papers_search MATCH :match")
        return col(PaperRow.id).in_(found.bindparams(match=match).columns(column("rowid")))
    asked: ColumnElement[Any] | None = None
    for number, tokens in enumerate(groups):
        group = func.plainto_tsquery(
            literal_column("'simple'"), bindparam(f"words_{number}", " ".join(tokens))
        )
        asked = group if asked is None else asked.op("||")(group)
    return _PG_DOCUMENT.op("@@")(asked)


def _needs_review() -> ColumnElement[bool]:
    return or_(
        col(PaperRow.title).is_(None),
        col(PaperRow.year).is_(None),
        func.json_array_length(PaperRow.authors) == 0,
        and_(col(PaperRow.category_score).is_not(None), col(PaperRow.category_score) < LOW_SCORE),
    )


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
