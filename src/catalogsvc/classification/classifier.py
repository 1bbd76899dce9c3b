"""The classifier interface and the offline classifier, which needs no network."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np

from catalogsvc.classification.concept_space import ConceptSpace
from catalogsvc.classification.linear_model import LinearTextModel
from catalogsvc.classification.text_features import paper_text, text_terms
from catalogsvc.classification.tfidf import FloatArray
from catalogsvc.classification.zero_shot import MIN_SIMILARITY, ZeroShotClassifier
from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from catalogsvc.taxonomies import ARXIV_TAXONOMY, UNCATEGORIZED

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


CLASSIFIER_DATA = resources.files("catalogsvc.classification") / "data"


def is_builtin_arxiv(taxonomy: Taxonomy) -> bool:
    """Whether a taxonomy has exactly the built-in arXiv archives, the trained model's labels."""
    names = {category.name for category in taxonomy.categories}
    return names == {category.name for category in ARXIV_TAXONOMY.categories}


def archive_order(model: LinearTextModel) -> list[int]:
    """The trained model's label columns in the order of the arXiv taxonomy's categories."""
    return [model.labels.index(category.name) for category in ARXIV_TAXONOMY.categories]


def trained_logits(
    model: LinearTextModel, zero_shot: ZeroShotClassifier, terms: Sequence[list[str]]
) -> FloatArray:
    """Scores of the arXiv path, texts given as their `text_terms`: the model's log-probabilities
    plus its concept weight times the concept similarities, columns in the taxonomy's order."""
    log_probabilities = np.log(model.predict_proba(terms) + 1e-9)
    similarities = zero_shot.similarities(terms, ARXIV_TAXONOMY)
    logits: FloatArray = (
        log_probabilities[:, archive_order(model)] + model.concept_weight * similarities
    )
    return logits


class OfflineClassifier:
    """A trained model for the arXiv archives, zero-shot similarity for any other taxonomy.

    The models load on first use, in the worker thread, and stay loaded.
    """

    def __init__(
        self, *, data_dir: Path | None = None, min_similarity: float = MIN_SIMILARITY
    ) -> None:
        self._data_dir = data_dir or Path(str(CLASSIFIER_DATA))
        self._min_similarity = min_similarity
        self._arxiv_model: LinearTextModel | None = None
        self._zero_shot: ZeroShotClassifier | None = None
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
            return self.classify_trained(texts)
        return self.classify_zero_shot(texts, taxonomy)

    def classify_zero_shot(
        self, texts: Sequence[str], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        """Zero-shot classification into any taxonomy, the arXiv one included."""
        return self._zero_shot_classifier().classify(texts, taxonomy)

    def classify_trained(self, texts: Sequence[str]) -> list[CategoryAssignment]:
        """The arXiv archive of each text: naive Bayes, sharpened by the concept similarity."""
        model = self._trained_model()
        terms = [text_terms(text) for text in texts]
        logits = trained_logits(model, self._zero_shot_classifier(), terms)
        probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        assignments = []
        for paper_terms, row in zip(terms, probabilities, strict=True):
            best = int(row.argmax())
            score = round(float(row[best]), 4)
            known = any(term in model.vocabulary.columns for term in paper_terms)
            if score < TRAINED_MIN_PROBABILITY or not known:
                assignments.append(CategoryAssignment(UNCATEGORIZED, score))
            else:
                assignments.append(CategoryAssignment(ARXIV_TAXONOMY.categories[best].name, score))
        return assignments

    def _trained_model(self) -> LinearTextModel:
        with self._load_lock:
            if self._arxiv_model is None:
                self._arxiv_model = LinearTextModel.load(self._data_dir / "arxiv_model.npz")
            return self._arxiv_model

    def _zero_shot_classifier(self) -> ZeroShotClassifier:
        with self._load_lock:
            if self._zero_shot is None:
                space = ConceptSpace.load(self._data_dir / "concepts.npz")
                self._zero_shot = ZeroShotClassifier(space, min_similarity=self._min_similarity)
            return self._zero_shot
