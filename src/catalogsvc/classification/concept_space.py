"""A space of arXiv concepts that texts are projected into (explicit semantic analysis)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catalogsvc.classification.compressed_rows import CompressedRows
from catalogsvc.classification.tfidf import FloatArray, TfidfVocabulary, decode_terms, encode_terms

# A paper has plenty of words to be typical of something; a category's few words are better
# matched against the concepts' own names and descriptions.
PAPER_NAME_WEIGHT = 0.2
CATEGORY_NAME_WEIGHT = 2.0


@dataclass(frozen=True, slots=True)
class ConceptSpace:
    """Weights of each term for each concept, mined from abstracts or read from concept names.

    `mined[t, k]` says how typical term t is of the abstracts labelled with concept k;
    `named[t, k]` is term t's weight in concept k's own name and description; `background`
    is where an average abstract lands, to be taken away so that common words count less.
    """

    concepts: tuple[str, ...]
    vocabulary: TfidfVocabulary
    mined: CompressedRows
    named: CompressedRows
    background: FloatArray

    def project(self, terms: list[str], *, name_weight: float) -> FloatArray:
        """The concept vector of a text's `text_terms`, unit length (zero if none is known)."""
        columns, values = self.vocabulary.weigh_terms(terms)
        if columns.size == 0:
            return np.zeros(len(self.concepts), dtype=np.float32)
        mined = self.mined.weighted_rows(columns, values)
        return _unit(mined + name_weight * self.named.weighted_rows(columns, values))

    def project_paper(self, terms: list[str]) -> FloatArray:
        """A paper's concept vector: mostly what its words are typical of, the background gone."""
        vector = self.project(terms, name_weight=PAPER_NAME_WEIGHT)
        if not vector.any():
            return vector
        return _unit(vector - self.background)

    def project_category(self, terms: list[str]) -> FloatArray:
        """A category's concept vector: its few words lean on the concepts' names."""
        return self.project(terms, name_weight=CATEGORY_NAME_WEIGHT)

    def save(self, path: Path) -> None:
        """Write the space as a compressed .npz, its sparse matrices as coordinate lists."""
        mined_rows, mined_columns, mined = self.mined.coordinates()
        named_rows, named_columns, named = self.named.coordinates()
        np.savez_compressed(
            path,
            concepts=encode_terms(self.concepts),
            terms=encode_terms(self.vocabulary.terms),
            idf=self.vocabulary.idf.astype(np.float16),
            mined_at=np.stack([mined_rows, mined_columns]).astype(np.int32),
            mined=mined.astype(np.float16),
            named_at=np.stack([named_rows, named_columns]).astype(np.int32),
            named=named.astype(np.float16),
            background=self.background.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> ConceptSpace:
        """Read a space written by `save`."""
        with np.load(path, allow_pickle=False) as stored:
            concepts = tuple(decode_terms(stored["concepts"]))
            terms = decode_terms(stored["terms"])
            shape = (len(terms), len(concepts))
            return cls(
                concepts=concepts,
                vocabulary=TfidfVocabulary.from_terms(terms, stored["idf"].astype(np.float32)),
                mined=_sparse(shape, stored["mined_at"], stored["mined"]),
                named=_sparse(shape, stored["named_at"], stored["named"]),
                background=stored["background"].astype(np.float32),
            )


def _unit(vector: FloatArray) -> FloatArray:
    norm = np.float32(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _sparse(shape: tuple[int, int], at: np.ndarray, values: np.ndarray) -> CompressedRows:
    return CompressedRows.from_coordinates(shape, at[0], at[1], values)
