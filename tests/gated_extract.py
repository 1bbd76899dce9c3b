"""Extractors for the tests, run inside the real worker pool.

`extract_gated` behaves like the real extractor, except on files whose name contains
"gated": it writes `<file>.started`, then holds the file until `<file>.release` exists;
and on files whose name contains "crash": the worker process dies at once.
Every call is appended to `<folder>/extractions.log`, so a test can count extractions.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from catalogsvc.domain import ExtractedPaper
from catalogsvc.extraction.extract import extract_paper
from tests.pdf_factory import make_paper_pdf

HOLD_LIMIT_S = 60.0


def extract_gated(path: str) -> ExtractedPaper:
    # The pool hands over the file it opened (/proc/self/fd/N): name it by where it lies.
    file = Path(os.path.realpath(path))
    with (file.parent / "extractions.log").open("a") as log:
        log.write(file.name + "\n")
    if "crash" in file.name:
        os._exit(7)
    if "gated" in file.name:
        Path(f"{file}.started").touch()
        release = Path(f"{file}.release")
        deadline = time.monotonic() + HOLD_LIMIT_S
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.005)  # a slow file, inside the worker process
    return extract_paper(path)


def gated_pdf(folder: Path, name: str = "gated.pdf") -> Path:
    """A real paper that extract_gated holds until it is released."""
    return make_paper_pdf(
        folder / name, title="A Paper That Takes Its Time", authors=["Slow Reader"], year=2024
    )


def release(gated: Path) -> None:
    """Let extract_gated finish the gated file."""
    Path(f"{gated}.release").touch()


def extraction_count(folder: Path, file_name: str) -> int:
    log = folder / "extractions.log"
    if not log.exists():
        return 0
    return log.read_text().splitlines().count(file_name)
