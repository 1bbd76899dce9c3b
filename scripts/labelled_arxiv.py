"""The labelled arXiv papers in shared/labelled: reading, the train/test split, fair samples."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TEST_SHARE_OUT_OF_10 = 2


@dataclass(frozen=True, slots=True)
class LabelledPaper:
    """One labelled row: its arXiv id, text, its primary archive, every label and archive."""

    arxiv_id: str
    title: str
    abstract: str
    archive: str
    labels: tuple[str, ...]
    archives: tuple[str, ...]


def read_labelled(path: Path) -> list[LabelledPaper]:
    """Every row of an arxiv.jsonl file, in file order."""
    papers = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                papers.append(
                    LabelledPaper(
                        arxiv_id=row["id"],
                        title=row["title"],
                        abstract=row["abstract"],
                        archive=row["archive"],
                        labels=tuple(row["labels"]),
                        archives=tuple(row["archives"]),
                    )
                )
    return papers


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def is_test_paper(arxiv_id: str) -> bool:
    """Whether a paper belongs to the test split: a hash of its id, so the split never drifts."""
    return _stable_hash(arxiv_id) % 10 < TEST_SHARE_OUT_OF_10


def split_train_test(
    papers: Iterable[LabelledPaper],
) -> tuple[list[LabelledPaper], list[LabelledPaper]]:
    """The train and test splits, each in input order."""
    train: list[LabelledPaper] = []
    test: list[LabelledPaper] = []
    for paper in papers:
        (test if is_test_paper(paper.arxiv_id) else train).append(paper)
    return train, test


def balanced_sample(papers: Iterable[LabelledPaper], per_archive: int) -> list[LabelledPaper]:
    """Up to `per_archive` papers of each archive, chosen by a hash so the sample is stable."""
    by_archive: dict[str, list[LabelledPaper]] = defaultdict(list)
    for paper in papers:
        by_archive[paper.archive].append(paper)
    sample: list[LabelledPaper] = []
    for archive in sorted(by_archive):
        ranked = sorted(by_archive[archive], key=lambda p: _stable_hash("sample:" + p.arxiv_id))
        sample.extend(ranked[:per_archive])
    return sample
