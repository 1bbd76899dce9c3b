"""Extraction speed on the corpus beside raw PyMuPDF reading the same page, then its accuracy.

Run: .venv/bin/python -m benchmarks.extraction [CORPUS_DIR]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pymupdf

from catalogsvc.evaluation import evaluate_corpus, render_eval_table
from catalogsvc.extraction.extract import extract_paper

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
ROUNDS = 3


def raw_pymupdf(path: str) -> None:
    """The floor: open the file and lay out page 1, nothing else."""
    with pymupdf.open(path) as document:
        document[0].get_text("dict")


def files_per_cpu_second(files: list[Path], read: Callable[[str], object]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        for file in files:
            read(str(file))
        best = min(best, time.process_time() - started)
    return len(files) / best


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    files = sorted(corpus.glob("*.pdf"))
    if not files:
        print(f"no PDFs in {corpus}: pass a corpus folder (../shared/corpus/dev)")
        return 0
    raw = files_per_cpu_second(files, raw_pymupdf)
    ours = files_per_cpu_second(files, extract_paper)
    print(f"corpus: {corpus} ({len(files)} PDFs), best of {ROUNDS} rounds, one core (CPU time)")
    print(f"{'reader':<28}{'PDFs/s':>10}")
    print(f"{'raw PyMuPDF page-1 layout':<28}{raw:>10.1f}")
    print(f"{'catalogsvc extract_paper':<28}{ours:>10.1f}")
    print(f"ratio extract_paper / raw: {ours / raw:.2f} (target: ≥ 50 PDFs/s per core)")
    if (corpus / "truth.jsonl").exists():
        print()
        print(render_eval_table(evaluate_corpus(corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
