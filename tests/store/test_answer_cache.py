"""The store's cache of model answers when two jobs write the same answer at once."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlmodel import Session

from catalogsvc.domain import CategoryAssignment
from catalogsvc.store import answer_cache
from catalogsvc.store.repository import Store


def test_an_answer_cached_meanwhile_by_another_job_stands_and_the_rest_is_cached(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.cache_categories({"a" * 64: CategoryAssignment("Physics", 0.9)}, "tax", "m")
    read_cache = answer_cache._cached_categories
    reads = []

    def read_before_the_other_write(
        session: Session, sha256s: Sequence[str], taxonomy_key: str, model: str
    ) -> dict[str, CategoryAssignment]:
        # The first read happened before the other job's write landed, so it saw nothing.
        reads.append(list(sha256s))
        return {} if len(reads) == 1 else read_cache(session, sha256s, taxonomy_key, model)

    monkeypatch.setattr(answer_cache, "_cached_categories", read_before_the_other_write)
    answers = {"a" * 64: CategoryAssignment("Biology", 0.5), "b" * 64: CategoryAssignment("B", 0.7)}
    store.cache_categories(answers, "tax", "m")
    monkeypatch.undo()

    assert len(reads) == 2
    assert store.cached_categories(["a" * 64, "b" * 64], "tax", "m") == {
        "a" * 64: CategoryAssignment("Physics", 0.9),
        "b" * 64: CategoryAssignment("B", 0.7),
    }


def test_a_write_that_keeps_losing_gives_up_with_a_warning_and_does_not_raise(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store.cache_categories({"a" * 64: CategoryAssignment("Physics", 0.9)}, "tax", "m")
    monkeypatch.setattr(answer_cache, "_cached_categories", lambda *_: {})

    store.cache_categories({"a" * 64: CategoryAssignment("Biology", 0.5)}, "tax", "m")
    monkeypatch.undo()

    assert "gave up caching 1 answers" in caplog.text
    assert store.cached_categories(["a" * 64], "tax", "m") == {
        "a" * 64: CategoryAssignment("Physics", 0.9)
    }
