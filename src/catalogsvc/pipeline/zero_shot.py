"""Zero-shot classification: a paper's words against each category's name and description."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from catalogsvc.domain import CategoryAssignment, Taxonomy
from catalogsvc.pipeline.taxonomies import UNCATEGORIZED
from catalogsvc.pipeline.text_features import tokenize

# A best cosine below this means the paper shares almost no telling word with any category.
MIN_SIMILARITY = 0.02


class ZeroShotScorer:
    """Cosine similarity of TF-IDF vectors; IDF taken across the taxonomy's categories."""

    def __init__(self, *, min_similarity: float = MIN_SIMILARITY) -> None:
        self._min_similarity = min_similarity

    def classify(self, texts: Sequence[str], taxonomy: Taxonomy) -> list[CategoryAssignment]:
        """The most similar category of each text, or Uncategorized when none is similar."""
        category_terms = [
            Counter(tokenize(f"{c.name} {c.name} {c.description}")) for c in taxonomy.categories
        ]
        document_frequency = Counter(term for terms in category_terms for term in terms)
        count = len(category_terms)
        idf = {t: math.log((count + 1) / (n + 0.5)) for t, n in document_frequency.items()}
        category_vectors = [
            _normalised({t: n * idf[t] for t, n in c.items()}) for c in category_terms
        ]
        assignments = []
        for text in texts:
            paper = _normalised({t: math.log1p(n) for t, n in Counter(tokenize(text)).items()})
            similarities = [
                sum(weight * paper.get(term, 0.0) for term, weight in vector.items())
                for vector in category_vectors
            ]
            best = max(range(count), key=similarities.__getitem__)
            score = similarities[best]
            name = (
                taxonomy.categories[best].name if score >= self._min_similarity else UNCATEGORIZED
            )
            assignments.append(CategoryAssignment(name, round(score, 4)))
        return assignments


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items()} if norm else vector
