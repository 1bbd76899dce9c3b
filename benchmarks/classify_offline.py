"""Offline classifier accuracy and speed: trained and zero-shot, side by side.

Run: .venv/bin/python -m benchmarks.classify_offline [SHARED_DIR]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.labelled_arxiv import balanced_sample, read_labelled, split_train_test

from catalogsvc.classification.classifier import OfflineClassifier
from catalogsvc.classification.text_features import paper_text
from catalogsvc.domain import Category, CategoryAssignment, Taxonomy
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.taxonomies import ARXIV_TAXONOMY

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PER_ARCHIVE = 60
Classify = Callable[[Sequence[str]], list[CategoryAssignment]]


def timed(classify: Classify, texts: Sequence[str]) -> tuple[list[CategoryAssignment], float]:
    """Assignments and papers per CPU second (one core: the classifier runs in one thread)."""
    started = time.process_time()
    assignments = classify(texts)
    return assignments, len(texts) / max(time.process_time() - started, 1e-9)


def hits(assignments: Sequence[CategoryAssignment], truth: Sequence[str]) -> float:
    return sum(a.category == t for a, t in zip(assignments, truth, strict=True)) / len(truth)


def corpus_rows(truth_file: Path) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in truth_file.read_text().splitlines() if line.strip()]
    return [row for row in rows if row.get("category")]


@dataclass(frozen=True, slots=True)
class CorpusTask:
    """The labelled corpus papers: their categories as a taxonomy, and two texts of each."""

    taxonomy: Taxonomy
    truth: list[str]
    truth_texts: list[str]
    pdf_texts: list[str]


def corpus_task(truth_file: Path) -> CorpusTask:
    """Title and abstract from truth.jsonl, and as our extractor reads them from the PDFs."""
    rows = corpus_rows(truth_file)
    names = sorted({r["category"] for r in rows})
    extracted = [extract_paper(str(truth_file.parent / r["file"])) for r in rows]
    return CorpusTask(
        taxonomy=Taxonomy(name="corpus", categories=[Category(name=n) for n in names]),
        truth=[r["category"] for r in rows],
        truth_texts=[paper_text(r["title"], r["abstract"]) for r in rows],
        pdf_texts=[paper_text(paper.title, paper.abstract) for paper in extracted],
    )


def archives_by_human_name() -> tuple[Taxonomy, dict[str, str]]:
    """The arXiv taxonomy with its codes hidden: 'Astrophysics' instead of 'astro-ph'."""
    categories, code_of = [], {}
    for category in ARXIV_TAXONOMY.categories:
        name, _, description = category.description.partition(":")
        categories.append(Category(name=name, description=description.strip()))
        code_of[name] = category.name
    return Taxonomy(name="arxiv-by-name", categories=categories), code_of


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED
    labelled, truth_file = shared / "labelled" / "arxiv.jsonl", shared / "corpus/dev/truth.jsonl"
    if not labelled.exists() or not truth_file.exists():
        print(f"skipped: {shared} has no labelled/arxiv.jsonl or corpus/dev/truth.jsonl")
        return 0
    classifier = OfflineClassifier()
    classifier.classify_texts(["warm-up"], ARXIV_TAXONOMY)  # loads both models outside the timing
    _, test = split_train_test(read_labelled(labelled))
    sample = balanced_sample(test, PER_ARCHIVE)
    texts = [paper_text(p.title, p.abstract) for p in sample]
    archives = [p.archive for p in sample]
    by_name, code_of = archives_by_human_name()
    corpus = corpus_task(truth_file)

    trained, trained_speed = timed(classifier.classify_trained, texts)
    zero_shot, zero_shot_speed = timed(
        lambda t: classifier.classify_zero_shot(t, ARXIV_TAXONOMY), texts
    )
    named = classifier.classify_zero_shot(texts, by_name)
    named_codes = [CategoryAssignment(code_of.get(a.category, a.category), a.score) for a in named]
    on_corpus = classifier.classify_zero_shot(corpus.truth_texts, corpus.taxonomy)
    on_pdfs = classifier.classify_zero_shot(corpus.pdf_texts, corpus.taxonomy)
    any_listed = sum(a.category in p.archives for a, p in zip(trained, sample, strict=True))

    print(f"arXiv test split (hash of id), balanced: {len(sample)} papers, ≤{PER_ARCHIVE}/archive")
    print(f"{'method':<44}{'accuracy':>10}{'papers/s':>10}")
    print(f"{'trained, archives':<44}{hits(trained, archives):>10.1%}{trained_speed:>10.0f}")
    print(f"{'  (prediction among all listed archives)':<44}{any_listed / len(sample):>10.1%}")
    zero_shot_label = "zero-shot, archive codes + descriptions"
    print(f"{zero_shot_label:<44}{hits(zero_shot, archives):>10.1%}{zero_shot_speed:>10.0f}")
    print(
        f"{'zero-shot, archive names only (codes hidden)':<44}{hits(named_codes, archives):>10.1%}"
    )
    print(f"zero-shot, corpus categories ({len(corpus.truth)} papers):")
    print(f"{'  title and abstract from truth.jsonl':<44}{hits(on_corpus, corpus.truth):>10.1%}")
    print(
        f"{'  title and abstract extracted from the PDFs':<44}{hits(on_pdfs, corpus.truth):>10.1%}"
    )
    print("targets: trained ≥ 80 %, zero-shot ≥ 60 % on both; ≥ 500 papers/s on one core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
