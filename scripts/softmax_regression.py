"""Class-balanced multinomial logistic regression over sparse TF-IDF rows, fitted with numpy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from catalogsvc.classification.tfidf import FloatArray, IndexArray, TfidfVocabulary

ADAM_BETAS = (0.9, 0.999)


@dataclass(frozen=True, slots=True)
class SparseRows:
    """A texts x terms TF-IDF matrix as coordinates, sorted by row, plus a by-column order."""

    shape: tuple[int, int]
    rows: IndexArray
    columns: IndexArray
    values: FloatArray
    by_column: IndexArray

    @classmethod
    def from_texts(cls, vocabulary: TfidfVocabulary, texts: Sequence[str]) -> SparseRows:
        weighed = [vocabulary.weigh(text) for text in texts]
        rows = np.concatenate(
            [np.full(columns.size, i, dtype=np.intp) for i, (columns, _) in enumerate(weighed)]
            + [np.zeros(0, dtype=np.intp)]
        )
        columns = np.concatenate([c for c, _ in weighed] + [np.zeros(0, dtype=np.intp)])
        values = np.concatenate([v for _, v in weighed] + [np.zeros(0, dtype=np.float32)])
        shape = (len(texts), len(vocabulary.columns))
        by_column = np.argsort(columns, kind="stable")
        return cls(shape, rows, columns, values.astype(np.float32), by_column)

    def dot(self, weights: FloatArray) -> FloatArray:
        """This matrix times a dense terms x labels matrix."""
        products = self.values[:, None] * weights[self.columns]
        return _segment_sums(products, self.rows, self.shape[0])

    def transpose_dot(self, gradient: FloatArray) -> FloatArray:
        """This matrix's transpose times a dense texts x labels matrix."""
        order = self.by_column
        products = self.values[order, None] * gradient[self.rows[order]]
        return _segment_sums(products, self.columns[order], self.shape[1])


def _segment_sums(products: FloatArray, keys: IndexArray, length: int) -> FloatArray:
    """Sums of the rows of `products` sharing a key, for keys sorted ascending."""
    sums = np.zeros((length, products.shape[1]), dtype=np.float32)
    if keys.size:
        present = np.flatnonzero(np.bincount(keys, minlength=length))
        sums[present] = np.add.reduceat(products, np.searchsorted(keys, present), axis=0)
    return sums


def fit_softmax(
    features: SparseRows,
    targets: IndexArray,
    label_count: int,
    *,
    l2: float,
    iterations: int = 120,
    learning_rate: float = 0.1,
) -> tuple[FloatArray, FloatArray]:
    """Weights and bias by full-batch Adam on cross-entropy, each class weighing the same.

    Archives are scored on balanced samples, so each paper counts inversely to its class size.
    """
    counts = np.bincount(targets, minlength=label_count).astype(np.float32)
    sample_weight = 1.0 / counts[targets]
    sample_weight /= sample_weight.sum()
    onehot = np.eye(label_count, dtype=np.float32)[targets]
    weights = np.zeros((features.shape[1], label_count), dtype=np.float32)
    bias = np.zeros(label_count, dtype=np.float32)
    moments = [(np.zeros_like(weights), np.zeros_like(weights))]
    moments.append((np.zeros_like(bias), np.zeros_like(bias)))
    beta1, beta2 = ADAM_BETAS
    for step in range(1, iterations + 1):
        logits = features.dot(weights) + bias
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        residual = (probabilities - onehot) * sample_weight[:, None]
        gradients = (features.transpose_dot(residual) + l2 * weights, residual.sum(axis=0))
        for parameter, gradient, (first, second) in zip(
            (weights, bias), gradients, moments, strict=True
        ):
            first *= beta1
            first += (1 - beta1) * gradient
            second *= beta2
            second += (1 - beta2) * gradient * gradient
            corrected = first / (1 - beta1**step)
            parameter -= learning_rate * corrected / (np.sqrt(second / (1 - beta2**step)) + 1e-8)
    return weights, bias
