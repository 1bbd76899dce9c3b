"""The Classifier that asks an OpenAI-compatible model: batched, bounded, cached, cancellable."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any, Literal, TypeVar, cast

from openai import AsyncOpenAI
from pydantic import BaseModel, ValidationError, create_model

from catalogsvc.classification.answer_cache import ClassificationCache, taxonomy_key
from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from catalogsvc.errors import LLMAnswerInvalid
from catalogsvc.llm.client import request_json
from catalogsvc.llm.prompts import classification_messages
from catalogsvc.taxonomies import UNCATEGORIZED

T = TypeVar("T")
log = logging.getLogger(__name__)

UNANSWERED = CategoryAssignment(UNCATEGORIZED, 0.0)
"""What a paper gets when the model's answer for it is missing or invalid."""


class LLMClassifier:
    """Classifies papers with `model`, `batch_size` papers per request, each answer cached;
    a request is sent only while it holds one of `request_slots`, which the service shares
    with every other caller of its models (LLM_MAX_CONCURRENCY)."""

    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        *,
        cache: ClassificationCache,
        batch_size: int,
        request_slots: asyncio.Semaphore,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.client = client
        self.model = model
        self.cache = cache
        self.batch_size = batch_size
        self._request_slots = request_slots

    @property
    def name(self) -> str:
        return f"openai:{self.model}"

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        """One assignment per paper, in order; only papers without a cached answer are sent."""
        if not papers:
            return []
        key = taxonomy_key(taxonomy)
        answers = await self.cache.get([paper.sha256 for paper in papers], key, self.model)
        # A file listed twice is one paper to the model.
        pending = list({p.sha256: p for p in papers if p.sha256 not in answers}.values())
        batches = [
            pending[start : start + self.batch_size]
            for start in range(0, len(pending), self.batch_size)
        ]
        for found in await _gather_or_cancel(
            self._classify_batch(batch, taxonomy, key) for batch in batches
        ):
            answers.update(found)
        return [answers[paper.sha256] for paper in papers]

    async def _classify_batch(
        self, batch: Sequence[Paper], taxonomy: Taxonomy, key: str
    ) -> dict[str, CategoryAssignment]:
        try:
            async with self._request_slots:
                answer = await request_json(
                    self.client,
                    model=self.model,
                    messages=classification_messages(batch, taxonomy, UNCATEGORIZED),
                    answer=PaperCategories,
                    schema=classification_schema(taxonomy),
                )
        except LLMAnswerInvalid as error:  # costs this batch its categories, not the job
            log.warning("%s; %d papers left %s", error.detail, len(batch), UNCATEGORIZED)
            answer = PaperCategories(papers=[])
        assignments = read_assignments(answer, len(batch), taxonomy)
        found = dict(zip((paper.sha256 for paper in batch), assignments, strict=True))
        valid = {sha256: a for sha256, a in found.items() if a is not None}
        # Invalid answers are not cached, so the next run asks again.
        if valid:
            await self.cache.put(valid, key, self.model)
        return {sha256: a or UNANSWERED for sha256, a in found.items()}


def category_names(taxonomy: Taxonomy) -> list[str]:
    """The names a model may answer: the taxonomy's, then Uncategorized."""
    names = [category.name for category in taxonomy.categories]
    return names if UNCATEGORIZED in names else [*names, UNCATEGORIZED]


class PaperCategory(BaseModel):
    """One paper's answer: its index in the batch, a category name, a confidence in [0, 1]."""

    index: int
    category: str
    confidence: float


class PaperCategories(BaseModel):
    """The model's answer, read leniently: each entry is checked on its own (PaperCategory),
    so that one bad entry costs only its paper."""

    papers: list[Any]


def classification_schema(taxonomy: Taxonomy) -> type[BaseModel]:
    """The strict schema asked for: PaperCategories whose category is one of the taxonomy's
    names, so that every schema-following answer is valid."""
    # Types built at run time from the taxonomy, which a type checker cannot follow.
    one_of_the_names = cast(Any, Literal)[tuple(category_names(taxonomy))]
    entry = create_model("PaperCategory", __base__=PaperCategory, category=(one_of_the_names, ...))
    return create_model(
        "PaperCategories",
        papers=(cast(Any, list)[entry], ...),
    )


def read_assignments(
    answer: PaperCategories, count: int, taxonomy: Taxonomy
) -> list[CategoryAssignment | None]:
    """The assignment for each of `count` papers, None where the answer is missing or invalid."""
    # Servers in json_object mode may vary the case of a name; map it back to the real one.
    canonical = {name.casefold(): name for name in category_names(taxonomy)}
    assignments: list[CategoryAssignment | None] = [None] * count
    for raw in answer.papers:
        try:
            entry = PaperCategory.model_validate(raw)
        except ValidationError:
            continue
        name = canonical.get(entry.category.strip().casefold())
        if name is not None and 0 <= entry.index < count and assignments[entry.index] is None:
            assignments[entry.index] = CategoryAssignment(name, _score(entry.confidence))
    return assignments


def _score(confidence: float) -> float:
    return 0.0 if math.isnan(confidence) else min(max(confidence, 0.0), 1.0)


async def _gather_or_cancel(coroutines: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """Await all; on the first error or on cancellation, cancel the rest and wait for them."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
