"""The classifier interface and the offline classifier, which needs no network."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Protocol

from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from catalogsvc.pipeline.linear_model import LinearTextModel
from catalogsvc.pipeline.taxonomies import BUILTIN_TAXONOMIES, UNCATEGORIZED
from catalogsvc.pipeline.text_features import paper_text
from catalogsvc.pipeline.zero_shot import ZeroShotScorer

ARXIV_TAXONOMY = BUILTIN_TAXONOMIES["arxiv"]
# Below this probability the trained model's best archive is no better than a guess.
TRAINED_MIN_PROBABILITY = 0.2


class Classifier(Protocol):
    """Assigns each paper one category of a taxonomy."""

    @property
    def name(self) -> str:
        """'offline' or 'openai:<model>', as a job records it."""
        ...

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        """One assignment per paper, in the order of `papers`."""
        ...


def bundled_arxiv_model_path() -> Path:
    """The arXiv archive model that ships inside the package."""
    return Path(str(resources.files("catalogsvc") / "classifier_data" / "arxiv_model.npz"))


def is_builtin_arxiv(taxonomy: Taxonomy) -> bool:
    """Whether a taxonomy has exactly the built-in arXiv archives, the trained model's labels."""
    names = {category.name for category in taxonomy.categories}
    return names == {category.name for category in ARXIV_TAXONOMY.categories}


class OfflineClassifier:
    """A trained model for the arXiv archives, zero-shot similarity for any other taxonomy."""

    def __init__(
        self,
        *,
        arxiv_model_path: Path | None = None,
        zero_shot: ZeroShotScorer | None = None,
    ) -> None:
        self._arxiv_model_path = arxiv_model_path or bundled_arxiv_model_path()
        self._arxiv_model: LinearTextModel | None = None
        self._zero_shot = zero_shot or ZeroShotScorer()
        self._load_lock = threading.Lock()

    @property
    def name(self) -> str:
        return "offline"

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        """One assignment per paper; the CPU work runs in a thread, off the event loop."""
        texts = [paper_text(paper.title, paper.abstract) for paper in papers]
        return await asyncio.to_thread(self.classify_texts, texts, taxonomy)

    def classify_texts(self, texts: Sequence[str], taxonomy: Taxonomy) -> list[CategoryAssignment]:
        """The blocking form of `classify`, for texts built with `paper_text`."""
        if not texts:
            return []
        if is_builtin_arxiv(taxonomy):
            return self._classify_trained(texts)
        return self._zero_shot.classify(texts, taxonomy)

    def _classify_trained(self, texts: Sequence[str]) -> list[CategoryAssignment]:
        model = self._trained_model()
        probabilities = model.predict_proba(texts)
        assignments = []
        for text, row in zip(texts, probabilities, strict=True):
            best = int(row.argmax())
            score = float(row[best])
            if score < TRAINED_MIN_PROBABILITY or model.sparse_terms(text)[0].size == 0:
                assignments.append(CategoryAssignment(UNCATEGORIZED, round(score, 4)))
            else:
                assignments.append(CategoryAssignment(model.labels[best], round(score, 4)))
        return assignments

    def _trained_model(self) -> LinearTextModel:
        with self._load_lock:
            if self._arxiv_model is None:
                self._arxiv_model = LinearTextModel.load(self._arxiv_model_path)
            return self._arxiv_model
