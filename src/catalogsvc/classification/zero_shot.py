"""Zero-shot classification: papers and category names meet in a space of arXiv concepts."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from catalogsvc.classification.concept_space import ConceptSpace
from catalogsvc.classification.text_features import text_terms
from catalogsvc.classification.tfidf import FloatArray
from catalogsvc.domain import CategoryAssignment, Taxonomy
from catalogsvc.taxonomies import UNCATEGORIZED

# Shared words between paper and category add to the concept similarity with this weight.
LEXICAL_WEIGHT = 0.5
# Softmax temperature turning similarities into a confidence.
TEMPERATURE = 0.1
# A best similarity below this is no evidence for any category.
MIN_SIMILARITY = 0.1


class ZeroShotClassifier:
    """Scores each category by concept similarity plus shared words; no training per taxonomy."""

    def __init__(self, space: ConceptSpace, *, min_similarity: float = MIN_SIMILARITY) -> None:
        self._space = space
        self._min_similarity = min_similarity

    def similarities(self, terms: Sequence[list[str]], taxonomy: Taxonomy) -> FloatArray:
        """One row per text, given as its `text_terms`; one column per category of the taxonomy."""
        category_terms = [
            text_terms(f"{c.name}. {c.name}. {c.description}") for c in taxonomy.categories
        ]
        concepts = np.stack([self._space.project_category(category) for category in category_terms])
        if len(category_terms) > 1:
            # Taking away what all categories share leaves what tells them apart.
            concepts = _unit_rows(concepts - concepts.mean(axis=0))
        lexical = _CategoryTerms(self._space, category_terms)
        rows = [
            concepts @ self._space.project_paper(paper) + LEXICAL_WEIGHT * lexical.overlap(paper)
            for paper in terms
        ]
        if not rows:
            return np.zeros((0, len(category_terms)), dtype=np.float32)
        return np.stack(rows).astype(np.float32)

    def classify(self, texts: Sequence[str], taxonomy: Taxonomy) -> list[CategoryAssignment]:
        """The best category of each text, or Uncategorized when nothing is similar enough."""
        assignments = []
        for row in self.similarities([text_terms(text) for text in texts], taxonomy):
            best = int(row.argmax())
            exponentials = np.exp((row - row[best]) / TEMPERATURE)
            confidence = round(float(1.0 / exponentials.sum()), 4)
            if row[best] < self._min_similarity:
                assignments.append(CategoryAssignment(UNCATEGORIZED, confidence))
            else:
                assignments.append(CategoryAssignment(taxonomy.categories[best].name, confidence))
        return assignments


class _CategoryTerms:
    """TF-IDF cosine between a text and each category text, over the categories' own terms.

    Texts come as their `text_terms`. Terms the vocabulary never saw still match, weighed as
    the rarest known term.
    """

    def __init__(self, space: ConceptSpace, category_terms: Sequence[list[str]]) -> None:
        self._vocabulary = space.vocabulary
        self._unseen_idf = float(space.vocabulary.idf.max(initial=1.0))
        per_category = [self._weights(terms) for terms in category_terms]
        self._index = {term: i for i, term in enumerate({t for w in per_category for t in w})}
        self._matrix = np.zeros((len(self._index), len(category_terms)), dtype=np.float32)
        for category, weights in enumerate(per_category):
            for term, weight in weights.items():
                self._matrix[self._index[term], category] = weight

    def _weights(self, terms: list[str]) -> dict[str, float]:
        counts = Counter(terms)
        weights = {term: math.log1p(n) * self._idf(term) for term, n in counts.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        return {term: weight / norm for term, weight in weights.items()} if norm else weights

    def _idf(self, term: str) -> float:
        column = self._vocabulary.columns.get(term)
        return self._unseen_idf if column is None else float(self._vocabulary.idf[column])

    def overlap(self, terms: list[str]) -> FloatArray:
        similarity = np.zeros(self._matrix.shape[1], dtype=np.float32)
        for term, weight in self._weights(terms).items():
            row = self._index.get(term)
            if row is not None:
                similarity += weight * self._matrix[row]
        return similarity


def _unit_rows(matrix: FloatArray) -> FloatArray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: FloatArray = (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return normalised
