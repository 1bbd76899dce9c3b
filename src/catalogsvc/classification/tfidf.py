"""A fixed term vocabulary with IDF weights, turning texts into sparse TF-IDF vectors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from catalogsvc.classification.text_features import text_terms

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class TfidfVocabulary:
    """Terms with their column and IDF; a text becomes L2-normalised log-scaled TF-IDF."""

    columns: Mapping[str, int]
    idf: FloatArray

    @classmethod
    def from_terms(cls, terms: Sequence[str], idf: FloatArray) -> TfidfVocabulary:
        return cls({term: column for column, term in enumerate(terms)}, idf.astype(np.float32))

    @property
    def terms(self) -> list[str]:
        """The terms in column order."""
        return sorted(self.columns, key=self.columns.__getitem__)

    def weigh(self, text: str) -> tuple[IndexArray, FloatArray]:
        """Columns and TF-IDF values of the known terms of a text (both empty if none)."""
        return self.weigh_terms(text_terms(text))

    def weigh_terms(self, terms: list[str]) -> tuple[IndexArray, FloatArray]:
        """`weigh` for a text already split by `text_terms`."""
        counts: dict[int, int] = {}
        for term in terms:
            column = self.columns.get(term)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        values = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        values *= self.idf[columns]
        norm = np.float32(np.linalg.norm(values))
        if norm > 0:
            values /= norm
        return columns, values


def encode_terms(terms: Sequence[str]) -> npt.NDArray[np.uint8]:
    """Terms as one UTF-8 byte array, far smaller in an .npz than a fixed-width string array."""
    return np.frombuffer("\n".join(terms).encode(), dtype=np.uint8)


def decode_terms(stored: npt.NDArray[np.uint8]) -> list[str]:
    """The inverse of `encode_terms`."""
    text = stored.tobytes().decode()
    return text.split("\n") if text else []
