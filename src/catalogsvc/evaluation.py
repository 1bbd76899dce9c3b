"""End-to-end scoring of extraction against a corpus with truth.jsonl, in the manner of GROBID's."""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf
from rapidfuzz import fuzz, utils
from rapidfuzz.distance import Levenshtein

from catalogsvc.domain import ExtractedPaper
from catalogsvc.errors import InvalidPDF
from catalogsvc.extraction.extract import extract_paper

LEVENSHTEIN_THRESHOLD = 0.8
# Word order and case aside, 80 % alike: "Journal of Open Source Education" for
# "Journal of Open Source Education (JOSE)", "Dhaka Univ. J. Pharm. Sci" for its full stop.
VENUE_SIMILARITY = 80.0
SPEED_TARGET = 50.0
_TRUTH_FILE = "truth.jsonl"


@dataclass(frozen=True, slots=True)
class FieldScore:
    """One line of the evaluation table."""

    field: str
    how: str
    score: float | None
    target: float
    scored: int
    unit: str = "%"

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score >= self.target


@dataclass(frozen=True, slots=True)
class FileFailure:
    """One field of one file that did not match the truth."""

    file: str
    field: str
    expected: str
    got: str


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Per-field rates against targets, extraction speed and what failed where."""

    scores: list[FieldScore]
    failures: list[FileFailure] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(score.passed for score in self.scores if score.score is not None)

    def score(self, name: str) -> FieldScore:
        return next(s for s in self.scores if s.field == name)


@dataclass(frozen=True, slots=True)
class _Check:
    field: str
    how: str
    target: float
    truth_key: str
    matches: Callable[[Any, ExtractedPaper], bool]
    got: Callable[[ExtractedPaper], object]


def evaluate_corpus(corpus_dir: Path) -> EvalReport:
    """Extract every PDF listed in corpus_dir/truth.jsonl and score it against the truth."""
    truths = _read_truth(corpus_dir / _TRUTH_FILE)
    papers: dict[str, ExtractedPaper | None] = {}
    # CPU time of this process is what "per core" means; other load on the host does not skew it.
    started = time.process_time()
    for truth in truths:
        try:
            papers[truth["file"]] = extract_paper(str(corpus_dir / truth["file"]))
        except InvalidPDF:
            papers[truth["file"]] = None
    seconds = time.process_time() - started
    truths = [_with_stated_year(corpus_dir, truth) for truth in truths]
    scores: list[FieldScore] = []
    failures: list[FileFailure] = []
    for check in _CHECKS:
        scores.append(_score_check(check, truths, papers, failures))
    for key, label in (("doi", "DOI"), ("arxiv_id", "arXiv id")):
        scores.extend(_score_identifier(key, label, truths, papers, failures))
    speed = len(truths) / seconds if seconds > 0 else None
    scores.append(
        FieldScore("speed", "PDFs/s, one core", speed, SPEED_TARGET, len(truths), "PDFs/s")
    )
    return EvalReport(scores=scores, failures=failures, files=len(truths), seconds=seconds)


def render_eval_table(report: EvalReport) -> str:
    """The report as a plain-text table: field, how scored, score, target, pass/fail."""
    header = ("field", "how scored", "score", "target", "n", "result")
    rows = [header]
    for s in report.scores:
        if s.unit == "%":
            score = "n/a" if s.score is None else f"{s.score * 100:.1f}%"
            target = f"≥{s.target * 100:.0f}%"
        else:
            score = "n/a" if s.score is None else f"{s.score:.1f} {s.unit}"
            target = f"≥{s.target:g} {s.unit}"
        result = "n/a" if s.score is None else ("pass" if s.passed else "FAIL")
        rows.append((s.field, s.how, score, target, str(s.scored), result))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    verdict = "all targets met" if report.passed else "some targets missed"
    lines.append(f"\n{report.files} files in {report.seconds:.2f} s of CPU; {verdict}")
    return "\n".join(lines)


def soft(text: str) -> str:
    """Case, accents' composition, punctuation and spaces ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if c.isalnum())


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def _similar(expected: str, got: str | None) -> bool:
    if not got:
        return False
    similarity = Levenshtein.normalized_similarity(_collapse(expected), _collapse(got))
    return similarity >= LEVENSHTEIN_THRESHOLD


def _venue_matches(expected: str, paper: ExtractedPaper) -> bool:
    if not paper.venue:
        return False
    score = fuzz.token_sort_ratio(expected, paper.venue, processor=utils.default_process)
    return score >= VENUE_SIMILARITY


def _family(name: str) -> str:
    return soft(name.split()[-1]) if name.split() else ""


def _authors_match(expected: list[str], paper: ExtractedPaper) -> bool:
    # GROBID's end-to-end "authors" field compares the surnames only, in order, so given
    # names printed in full, abbreviated or with middle initials do not count against a list.
    return len(expected) == len(paper.authors) and all(
        _family(a) == _family(b) for a, b in zip(expected, paper.authors, strict=True)
    )


def _first_author_matches(expected: list[str], paper: ExtractedPaper) -> bool:
    return bool(paper.authors) and _family(expected[0]) == _family(paper.authors[0])


_CHECKS = (
    _Check("title soft", "case, punctuation, spaces ignored", 0.95, "title",
           lambda t, p: bool(p.title) and soft(t) == soft(p.title or ""), lambda p: p.title),
    _Check("title lev", "normalised Levenshtein ≥ 0.8", 0.98, "title",
           lambda t, p: _similar(t, p.title), lambda p: p.title),
    _Check("first author", "family name soft", 0.95, "authors",
           _first_author_matches, lambda p: p.authors[:1]),
    _Check("authors", "family names soft, in order", 0.85, "authors",
           _authors_match, lambda p: p.authors),
    _Check("year", "exact, where pages 1-2 or metadata state it", 0.95, "year",
           lambda t, p: p.year == t, lambda p: p.year),
    _Check("year (all)", "exact, every paper with a truth year", 0.9, "year_all",
           lambda t, p: p.year == t, lambda p: p.year),
    _Check("venue", "word order and case aside, ≥ 80 % alike", 0.85, "venue",
           _venue_matches, lambda p: p.venue),
    _Check("abstract lev", "normalised Levenshtein ≥ 0.8", 0.85, "abstract",
           lambda t, p: _similar(t, p.abstract), lambda p: p.abstract),
)  # fmt: skip


def _score_check(
    check: _Check,
    truths: list[dict[str, Any]],
    papers: dict[str, ExtractedPaper | None],
    failures: list[FileFailure],
) -> FieldScore:
    scored = correct = 0
    for truth in truths:
        expected = truth.get(check.truth_key)
        if expected in (None, [], ""):
            continue
        scored += 1
        paper = papers[truth["file"]]
        if paper is not None and check.matches(expected, paper):
            correct += 1
        else:
            got = "unreadable" if paper is None else _short(check.got(paper))
            failures.append(FileFailure(truth["file"], check.field, _short(expected), got))
    rate = correct / scored if scored else None
    return FieldScore(check.field, check.how, rate, check.target, scored)


def _score_identifier(
    key: str,
    label: str,
    truths: list[dict[str, Any]],
    papers: dict[str, ExtractedPaper | None],
    failures: list[FileFailure],
) -> list[FieldScore]:
    expected_count = predicted = correct = 0
    for truth in truths:
        expected = _truth_value(truth, key)
        if not expected:
            continue
        expected_count += 1
        paper = papers[truth["file"]]
        got = getattr(paper, key) if paper is not None else None
        if got:
            predicted += 1
        if got and str(got).casefold() == str(expected).casefold():
            correct += 1
        else:
            failures.append(FileFailure(truth["file"], label, str(expected), _short(got)))
    precision = correct / predicted if predicted else None
    recall = correct / expected_count if expected_count else None
    how = "exact, case-insensitive"
    return [
        FieldScore(f"{label} precision", how, precision, 0.99, predicted),
        FieldScore(f"{label} recall", how, recall, 0.97, expected_count),
    ]


def _with_stated_year(corpus_dir: Path, truth: dict[str, Any]) -> dict[str, Any]:
    """The truth, its year unscored where neither pages 1-2 nor the metadata state it (but
    kept as `year_all`, scored over every paper)."""
    year = truth.get("year")
    truth = {**truth, "year_all": year}
    if year is None or _year_is_stated(corpus_dir / truth["file"], int(year)):
        return truth
    return {**truth, "year": None}


def _year_is_stated(path: Path, year: int) -> bool:
    try:
        with pymupdf.open(path) as document:
            pages = [document[i].get_text() for i in range(min(2, document.page_count))]
            metadata = [str(value) for value in (document.metadata or {}).values()]
            metadata.append(document.get_xml_metadata() or "")
    except (pymupdf.FileDataError, RuntimeError, ValueError):
        return False
    in_text = re.compile(rf"(?<!\d){year}(?!\d)")
    in_date = re.compile(rf"(?<!\d){year}")  # PDF dates run on: D:20070211...
    return any(in_text.search(t) for t in pages) or any(in_date.search(m) for m in metadata)


def _truth_value(truth: dict[str, Any], key: str) -> Any:
    value = truth.get(key)
    if value is None and isinstance(truth.get("extra"), dict):
        # arXiv records keep the identifier under "extra" in this corpus's truth files.
        value = truth["extra"].get(key)
    return value


def _read_truth(path: Path) -> list[dict[str, Any]]:
    truths: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                truths.append(json.loads(line))
    return truths


def _short(value: object, limit: int = 80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
