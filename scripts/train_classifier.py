"""Build the offline classifier's data in catalogsvc/classification/data from labelled arXiv papers.

Two files come out, both reproducible from shared/labelled/arxiv.jsonl with this script:
- arxiv_model.npz: naive Bayes blended with class-balanced logistic regression, both over one
  TF-IDF vocabulary, for the arXiv archives (the built-in taxonomy), folded into one linear model;
- concepts.npz: the concept space zero-shot classification projects papers and categories into,
  one concept per arXiv category, its terms mined from the abstracts listed in it and its name
  and description read from scripts/arxiv_categories.tsv.
Only the train split (a hash of the arXiv id) is read for either; the score printed at the
end is on a balanced sample of the test split.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import math
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from catalogsvc.classification.classifier import archive_order, trained_logits
from catalogsvc.classification.compressed_rows import CompressedRows
from catalogsvc.classification.concept_space import PAPER_NAME_WEIGHT, ConceptSpace
from catalogsvc.classification.linear_model import LinearTextModel
from catalogsvc.classification.text_features import paper_text, text_terms
from catalogsvc.classification.tfidf import FloatArray, IndexArray, TfidfVocabulary
from catalogsvc.classification.zero_shot import ZeroShotClassifier
from catalogsvc.taxonomies import ARXIV_TAXONOMY
from scripts.labelled_arxiv import (
    LabelledPaper,
    balanced_sample,
    is_test_paper,
    read_labelled,
    split_train_test,
)
from scripts.softmax_regression import SparseRows, fit_softmax

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "labelled" / "arxiv.jsonl"
DEFAULT_OUT = REPO_ROOT / "src" / "catalogsvc" / "classification" / "data"
CATEGORY_TABLE = Path(__file__).with_name("arxiv_categories.tsv")
ARCHIVE_MIN_DOCUMENTS = 5
CONCEPT_MIN_DOCUMENTS = 3
SMOOTHING_CHOICES = (0.003, 0.01, 0.03)
L2_CHOICES = (3e-5, 1e-4)
BAYES_WEIGHTS = (0.25, 0.5, 1.0)
REGRESSION_WEIGHTS = (0.5, 1.0, 2.0, 4.0)
CONCEPT_WEIGHTS = (0.0, 2.0, 4.0, 8.0, 16.0)
CONCEPT_TERMS = 300
PER_ARCHIVE = 60


def build_vocabulary(documents: Sequence[Sequence[str]], min_documents: int) -> TfidfVocabulary:
    """Terms found in at least `min_documents` documents, with smoothed IDF."""
    document_frequency = Counter(term for terms in documents for term in set(terms))
    terms = sorted(t for t, n in document_frequency.items() if n >= min_documents)
    frequencies = np.array([document_frequency[t] for t in terms], dtype=np.float32)
    idf = np.log((len(documents) + 1) / (frequencies + 1)) + 1
    return TfidfVocabulary.from_terms(terms, idf.astype(np.float32))


def label_mass(
    vocabulary: TfidfVocabulary,
    documents: Sequence[list[str]],
    labels: Sequence[Sequence[int]],
    width: int,
) -> tuple[FloatArray, FloatArray]:
    """Summed TF-IDF of each label's documents (terms x labels), and of all documents."""
    mass = np.zeros((len(vocabulary.columns), width), dtype=np.float32)
    total = np.zeros(len(vocabulary.columns), dtype=np.float32)
    for terms, text_labels in zip(documents, labels, strict=True):
        columns, values = vocabulary.weigh_terms(terms)
        total[columns] += values
        for label in text_labels:
            mass[columns, label] += values
    return mass, total


def naive_bayes(
    vocabulary: TfidfVocabulary, mass: FloatArray, labels: tuple[str, ...], smoothing: float
) -> LinearTextModel:
    """Multinomial naive Bayes with flat priors, since archives are scored on balanced samples."""
    log_likelihood = np.log((mass + smoothing) / (mass + smoothing).sum(axis=0))
    # Centering each term's row leaves every argmax unchanged and keeps float16 precise.
    weights = log_likelihood - log_likelihood.mean(axis=1, keepdims=True)
    bias = np.zeros(len(labels), dtype=np.float32)
    return LinearTextModel(labels, vocabulary, weights.astype(np.float32), bias)


def paper_terms(papers: Sequence[LabelledPaper]) -> list[list[str]]:
    """The `text_terms` of each paper's classifier text."""
    return [text_terms(paper_text(p.title, p.abstract)) for p in papers]


def accuracy(model: LinearTextModel, papers: Sequence[LabelledPaper]) -> float:
    """Share of papers whose most probable archive is their own."""
    predicted = model.predict_proba(paper_terms(papers)).argmax(axis=1)
    hits = sum(model.labels[int(i)] == p.archive for i, p in zip(predicted, papers, strict=True))
    return hits / len(papers) if papers else math.nan


def split_validation(
    train: Sequence[LabelledPaper],
) -> tuple[list[LabelledPaper], list[LabelledPaper]]:
    """A part of the train split to fit on, and a balanced validation sample of the rest."""
    held = [is_test_paper("validation:" + p.arxiv_id) for p in train]
    fit = [p for p, out in zip(train, held, strict=True) if not out]
    rest = [p for p, out in zip(train, held, strict=True) if out]
    return fit, balanced_sample(rest, PER_ARCHIVE)


def fit_naive_bayes(
    papers: Sequence[LabelledPaper], smoothings: Sequence[float]
) -> dict[float, LinearTextModel]:
    """One naive Bayes model per smoothing, all over one vocabulary and label mass."""
    labels = tuple(sorted({p.archive for p in papers}))
    documents = paper_terms(papers)
    vocabulary = build_vocabulary(documents, ARCHIVE_MIN_DOCUMENTS)
    archive_of = [[labels.index(p.archive)] for p in papers]
    mass, _ = label_mass(vocabulary, documents, archive_of, len(labels))
    return {s: naive_bayes(vocabulary, mass, labels, s) for s in smoothings}


def archive_features(
    model: LinearTextModel, papers: Sequence[LabelledPaper]
) -> tuple[SparseRows, IndexArray]:
    """Papers' TF-IDF rows over a model's vocabulary, and the model's label of each archive."""
    features = SparseRows.from_texts(
        model.vocabulary, [paper_text(p.title, p.abstract) for p in papers]
    )
    targets = np.array([model.labels.index(p.archive) for p in papers], dtype=np.intp)
    return features, targets


def fit_regression(
    bayes: LinearTextModel, examples: tuple[SparseRows, IndexArray], l2: float
) -> LinearTextModel:
    """Logistic regression over the naive Bayes model's own vocabulary and labels, fitted on
    `archive_features(bayes, papers)`."""
    weights, bias = fit_softmax(*examples, len(bayes.labels), l2=l2)
    return LinearTextModel(bayes.labels, bayes.vocabulary, weights, bias)


def blend(
    bayes: LinearTextModel, regression: LinearTextModel, bayes_weight: float, weight: float
) -> LinearTextModel:
    """One linear model whose softmax is that of the weighted sum of both models' log-odds.

    Softmax ignores a constant per row, so summing log-probabilities equals summing logits.
    """
    weights = bayes_weight * bayes.weights + weight * regression.weights
    return LinearTextModel(bayes.labels, bayes.vocabulary, weights, weight * regression.bias)


def combined_accuracy(
    model: LinearTextModel, space: ConceptSpace, papers: Sequence[LabelledPaper]
) -> float:
    """Accuracy of the offline classifier's arXiv path: log-probabilities plus similarity."""
    logits = trained_logits(model, ZeroShotClassifier(space), paper_terms(papers))
    names = [c.name for c in ARXIV_TAXONOMY.categories]
    hits = sum(
        names[int(i)] == p.archive for i, p in zip(logits.argmax(axis=1), papers, strict=True)
    )
    return hits / len(papers) if papers else math.nan


def choose_blend(
    bayes: LinearTextModel,
    fit: Sequence[LabelledPaper],
    validation: Sequence[LabelledPaper],
    space: ConceptSpace,
) -> tuple[float, float, float, float]:
    """The L2 penalty and the weights of naive Bayes, regression and concepts that score best."""
    examples = archive_features(bayes, fit)
    features, truth = archive_features(bayes, validation)
    bayes_logits = features.dot(bayes.weights) + bayes.bias
    # Concept similarities in the model's column order.
    similarities = np.zeros_like(bayes_logits)
    similarities[:, archive_order(bayes)] = ZeroShotClassifier(space).similarities(
        paper_terms(validation), ARXIV_TAXONOMY
    )
    scores: dict[tuple[float, float, float, float], float] = {}
    for l2 in L2_CHOICES:
        regression = fit_regression(bayes, examples, l2)
        regression_logits = features.dot(regression.weights) + regression.bias
        for choice in itertools.product(BAYES_WEIGHTS, REGRESSION_WEIGHTS, CONCEPT_WEIGHTS):
            bayes_weight, weight, concept_weight = choice
            logits = bayes_weight * bayes_logits + weight * regression_logits
            predicted = (logits + concept_weight * similarities).argmax(axis=1)
            scores[(l2, *choice)] = float(np.mean(predicted == truth))
    best = max(scores, key=scores.__getitem__)
    print(f"validation accuracy {scores[best]:.4f} at (l2, bayes, regression, concepts) {best}")
    return best


def train_archive_model(
    train: Sequence[LabelledPaper], descriptions: dict[str, str]
) -> LinearTextModel:
    """Pick smoothing, L2 penalty and blend weights on validation data, then refit."""
    fit, validation = split_validation(train)
    candidates = fit_naive_bayes(fit, SMOOTHING_CHOICES)
    scored = {s: accuracy(model, validation) for s, model in candidates.items()}
    smoothing = max(scored, key=scored.__getitem__)
    print(f"validation accuracy by smoothing: {_rounded(scored)} -> {smoothing}")
    bayes = candidates[smoothing]
    fit_space = build_concept_space(fit, descriptions)
    l2, bayes_weight, weight, concept_weight = choose_blend(bayes, fit, validation, fit_space)
    bayes = fit_naive_bayes(train, (smoothing,))[smoothing]
    regression = fit_regression(bayes, archive_features(bayes, train), l2)
    final = blend(bayes, regression, bayes_weight, weight)
    return dataclasses.replace(final, concept_weight=concept_weight)


def _rounded(scores: dict[float, float]) -> dict[float, float]:
    return {key: round(value, 4) for key, value in scores.items()}


def read_category_table(path: Path) -> dict[str, str]:
    """arXiv category code -> its name and description, one text."""
    with path.open(encoding="utf-8", newline="") as table:
        rows = csv.DictReader(table, delimiter="\t")
        return {row["label"]: f"{row['name']}. {row['description']}" for row in rows}


def build_concept_space(
    train: Sequence[LabelledPaper], descriptions: dict[str, str]
) -> ConceptSpace:
    """Each concept keeps its most telling terms by positive PMI, weighted by evidence."""
    concepts = tuple(sorted(descriptions))
    index = {concept: i for i, concept in enumerate(concepts)}
    documents = paper_terms(train)
    vocabulary = build_vocabulary(documents, CONCEPT_MIN_DOCUMENTS)
    listed = [[index[label] for label in p.labels if label in index] for p in train]
    mass, total = label_mass(vocabulary, documents, listed, len(concepts))
    smoothing = 1e-3 * len(vocabulary.columns)
    in_concept = (mass + 1e-3) / (mass.sum(axis=0) + smoothing)
    overall = (total + 1e-3) / (total.sum() + smoothing)
    pmi = np.maximum(np.log(in_concept / overall[:, None]), 0.0)
    mined = pmi * (mass > 0) * np.sqrt(mass)
    cutoff = -np.sort(-mined, axis=0)[CONCEPT_TERMS - 1]
    mined = np.where(mined >= cutoff, mined, 0.0)
    mined /= np.linalg.norm(mined, axis=0) + 1e-9
    named = np.zeros_like(mined)
    for concept, description in descriptions.items():
        columns, values = vocabulary.weigh(f"{concept} {description}")
        named[columns, index[concept]] = values
    average = (total / len(train)) @ (mined + PAPER_NAME_WEIGHT * named)
    background = average / np.linalg.norm(average)
    return ConceptSpace(
        concepts,
        vocabulary,
        CompressedRows.from_dense(mined.astype(np.float32)),
        CompressedRows.from_dense(named.astype(np.float32)),
        background.astype(np.float32),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"No labelled data at {args.data}", file=sys.stderr)
        return 1
    train, test = split_train_test(read_labelled(args.data))
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    descriptions = read_category_table(CATEGORY_TABLE)
    model = train_archive_model(train, descriptions)
    model.save(args.out / "arxiv_model.npz")
    space = build_concept_space(train, descriptions)
    space.save(args.out / "concepts.npz")
    print(f"trained on {len(train)} papers in {time.perf_counter() - started:.0f} s")
    sample = balanced_sample(test, PER_ARCHIVE)
    print(
        f"archive accuracy on a balanced test sample of {len(sample)}: "
        f"linear model {accuracy(model, sample):.1%}, "
        f"with concepts {combined_accuracy(model, space, sample):.1%}"
    )
    for name in ("arxiv_model.npz", "concepts.npz"):
        print(f"wrote {args.out / name} ({(args.out / name).stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
