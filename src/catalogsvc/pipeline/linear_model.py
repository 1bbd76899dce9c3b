"""A compact linear text classifier over TF-IDF word and bigram features, stored as .npz."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from catalogsvc.pipeline.text_features import tokenize

FloatArray = npt.NDArray[np.float32]


def text_terms(text: str) -> list[str]:
    """The words of a text and its adjacent word pairs, the features the model weighs."""
    words = tokenize(text)
    return words + [f"{left}_{right}" for left, right in itertools.pairwise(words)]


@dataclass(frozen=True, slots=True)
class LinearTextModel:
    """Softmax regression: probabilities = softmax(tfidf(text) @ weights + bias)."""

    labels: tuple[str, ...]
    vocabulary: Mapping[str, int]
    idf: FloatArray
    weights: FloatArray
    bias: FloatArray

    def sparse_terms(self, text: str) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """Columns and L2-normalised log-scaled TF-IDF values of the terms a text holds."""
        counts: dict[int, int] = {}
        for term in text_terms(text):
            column = self.vocabulary.get(term)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        values = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        values *= self.idf[columns]
        norm = np.float32(np.linalg.norm(values))
        if norm > 0:
            values /= norm
        return columns, values

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        """One row of label probabilities per text, columns in the order of `labels`."""
        logits = np.tile(self.bias, (len(texts), 1))
        for row, text in enumerate(texts):
            columns, values = self.sparse_terms(text)
            logits[row] += values @ self.weights[columns]
        logits -= logits.max(axis=1, keepdims=True)
        exponentials = np.exp(logits)
        probabilities: FloatArray = exponentials / exponentials.sum(axis=1, keepdims=True)
        return probabilities

    def save(self, path: Path) -> None:
        """Write the model as a compressed .npz; weights go to float16 to stay small."""
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            terms=np.array(terms),
            idf=self.idf.astype(np.float16),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Read a model written by `save`."""
        with np.load(path, allow_pickle=False) as stored:
            terms = [str(term) for term in stored["terms"]]
            return cls(
                labels=tuple(str(label) for label in stored["labels"]),
                vocabulary={term: column for column, term in enumerate(terms)},
                idf=stored["idf"].astype(np.float32),
                weights=stored["weights"].astype(np.float32),
                bias=stored["bias"].astype(np.float32),
            )
