"""A compact linear text classifier over TF-IDF word and word-pair features, stored as .npz."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catalogsvc.classification.tfidf import FloatArray, TfidfVocabulary, decode_terms, encode_terms


@dataclass(frozen=True, slots=True)
class LinearTextModel:
    """Probabilities = softmax((tfidf(text) @ weights + bias) / temperature).

    `concept_weight` rides along for the offline classifier: how much the zero-shot concept
    similarity adds to these log-probabilities, chosen on validation data by the training.
    """

    labels: tuple[str, ...]
    vocabulary: TfidfVocabulary
    weights: FloatArray
    bias: FloatArray
    temperature: float = 1.0
    concept_weight: float = 0.0

    def predict_proba(self, terms: Sequence[list[str]]) -> FloatArray:
        """One row of label probabilities per text, given as its `text_terms`; columns in the
        order of `labels`."""
        logits = np.tile(self.bias, (len(terms), 1))
        for row, text_terms in enumerate(terms):
            columns, values = self.vocabulary.weigh_terms(text_terms)
            logits[row] += values @ self.weights[columns]
        logits /= self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        exponentials = np.exp(logits)
        probabilities: FloatArray = exponentials / exponentials.sum(axis=1, keepdims=True)
        return probabilities

    def save(self, path: Path) -> None:
        """Write the model as a compressed .npz; weights go to float16 to stay small."""
        np.savez_compressed(
            path,
            labels=encode_terms(self.labels),
            terms=encode_terms(self.vocabulary.terms),
            idf=self.vocabulary.idf.astype(np.float16),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            temperature=np.float32(self.temperature),
            concept_weight=np.float32(self.concept_weight),
        )

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Read a model written by `save`."""
        with np.load(path, allow_pickle=False) as stored:
            return cls(
                labels=tuple(decode_terms(stored["labels"])),
                vocabulary=TfidfVocabulary.from_terms(
                    decode_terms(stored["terms"]), stored["idf"].astype(np.float32)
                ),
                weights=stored["weights"].astype(np.float32),
                bias=stored["bias"].astype(np.float32),
                temperature=float(stored["temperature"]),
                concept_weight=float(stored["concept_weight"]),
            )
