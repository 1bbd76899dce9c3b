"""Train the offline arXiv archive classifier that ships in catalogsvc/classifier_data."""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from catalogsvc.pipeline.labelled_arxiv import (
    LabelledPaper,
    balanced_sample,
    read_labelled,
    split_train_test,
)
from catalogsvc.pipeline.linear_model import LinearTextModel, text_terms
from catalogsvc.pipeline.text_features import paper_text

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "labelled" / "arxiv.jsonl"
DEFAULT_OUT = REPO_ROOT / "src" / "catalogsvc" / "classifier_data" / "arxiv_model.npz"
MIN_DOCUMENT_FREQUENCY = 5
SMOOTHING = 0.01
EVAL_PER_ARCHIVE = 60


def _terms(paper: LabelledPaper) -> list[str]:
    return text_terms(paper_text(paper.title, paper.abstract))


def train_model(papers: list[LabelledPaper]) -> LinearTextModel:
    """Multinomial naive Bayes over TF-IDF values, with flat class priors."""
    documents = [_terms(paper) for paper in papers]
    document_frequency = Counter(term for terms in documents for term in set(terms))
    terms = sorted(t for t, n in document_frequency.items() if n >= MIN_DOCUMENT_FREQUENCY)
    vocabulary = {term: column for column, term in enumerate(terms)}
    frequencies = np.array([document_frequency[t] for t in terms], dtype=np.float32)
    idf = (np.log((len(papers) + 1) / (frequencies + 1)) + 1).astype(np.float32)
    labels = tuple(sorted({paper.archive for paper in papers}))
    model = LinearTextModel(
        labels=labels,
        vocabulary=vocabulary,
        idf=idf,
        weights=np.zeros((len(terms), len(labels)), dtype=np.float32),
        bias=np.zeros(len(labels), dtype=np.float32),
    )
    mass = np.zeros((len(terms), len(labels)), dtype=np.float64)
    for paper in papers:
        columns, values = model.sparse_terms(paper_text(paper.title, paper.abstract))
        mass[columns, labels.index(paper.archive)] += values
    log_likelihood = np.log((mass + SMOOTHING) / (mass + SMOOTHING).sum(axis=0))
    # Centering per term leaves the argmax unchanged and keeps float16 storage precise.
    weights = log_likelihood - log_likelihood.mean(axis=1, keepdims=True)
    return LinearTextModel(labels, vocabulary, idf, weights.astype(np.float32), model.bias)


def accuracy(model: LinearTextModel, papers: list[LabelledPaper]) -> float:
    """Share of papers whose most probable archive is their own."""
    texts = [paper_text(paper.title, paper.abstract) for paper in papers]
    predicted = model.predict_proba(texts).argmax(axis=1)
    hits = sum(model.labels[int(i)] == p.archive for i, p in zip(predicted, papers, strict=True))
    return hits / len(papers) if papers else math.nan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"No labelled data at {args.data}", file=sys.stderr)
        return 1
    train, test = split_train_test(read_labelled(args.data))
    started = time.perf_counter()
    model = train_model(train)
    print(f"trained on {len(train)} papers in {time.perf_counter() - started:.1f} s")
    sample = balanced_sample(test, EVAL_PER_ARCHIVE)
    print(f"accuracy on a balanced test sample of {len(sample)}: {accuracy(model, sample):.1%}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
