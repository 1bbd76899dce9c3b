"""A matrix of terms by concepts kept as its few nonzero entries, row by row (compressed sparse
rows): the concept space's two matrices are 86,001 x 157 with 47,000 nonzeros, 108 MB dense
and under 1 MB so."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalogsvc.classification.tfidf import FloatArray, IndexArray


@dataclass(frozen=True, slots=True)
class CompressedRows:
    shape: tuple[int, int]
    starts: IndexArray  # row r's entries are at starts[r]:starts[r + 1]
    columns: IndexArray
    values: FloatArray

    @classmethod
    def from_coordinates(
        cls, shape: tuple[int, int], rows: np.ndarray, columns: np.ndarray, values: np.ndarray
    ) -> CompressedRows:
        order = np.lexsort((columns, rows))
        counts = np.bincount(rows, minlength=shape[0])
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        return cls(
            shape,
            starts,
            columns[order].astype(np.intp),
            values[order].astype(np.float32),
        )

    @classmethod
    def from_dense(cls, matrix: np.ndarray) -> CompressedRows:
        rows, columns = np.nonzero(matrix)
        shape = (int(matrix.shape[0]), int(matrix.shape[1]))
        return cls.from_coordinates(shape, rows, columns, matrix[rows, columns])

    def coordinates(self) -> tuple[IndexArray, IndexArray, FloatArray]:
        """Row, column and value of every nonzero entry."""
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.starts))
        return rows, self.columns, self.values

    def weighted_rows(self, rows: IndexArray, weights: FloatArray) -> FloatArray:
        """sum(weights[i] * row rows[i]): what `weights @ dense[rows]` would give."""
        lengths = self.starts[rows + 1] - self.starts[rows]
        if not lengths.any():
            return np.zeros(self.shape[1], dtype=np.float32)
        at = np.concatenate(
            [np.arange(self.starts[r], self.starts[r + 1]) for r in rows[lengths > 0]]
        )
        scaled = self.values[at] * np.repeat(weights, lengths)
        return np.bincount(self.columns[at], weights=scaled, minlength=self.shape[1]).astype(
            np.float32
        )
