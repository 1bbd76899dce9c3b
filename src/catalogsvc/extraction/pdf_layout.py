"""Text lines of a PDF page with font size, weight and position, grouped into visual rows."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pymupdf

from catalogsvc.extraction.text_cleanup import compose_spacing_accents

# Expanding ligatures and clipping to the media box are enough; images are skipped for speed.
_TEXT_FLAGS = pymupdf.TEXT_MEDIABOX_CLIP
# A span this much smaller than its line's main size is a superscript, marker or icon.
_SUPERSCRIPT_RATIO = 0.8


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text in one font."""

    text: str
    size: float
    bold: bool
    x0: float
    x1: float
    superscript: bool


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text as PyMuPDF reads it, with its main font size."""

    spans: tuple[Span, ...]
    size: float
    bold: bool
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    block: int
    rotated: bool
    text: str
    main_text: str  # the line without superscripts and marker symbols


@dataclass(frozen=True, slots=True)
class Row:
    """Lines that sit side by side at the same height, left to right."""

    lines: tuple[TextLine, ...]
    y0: float
    y1: float
    x0: float
    size: float
    bold: bool

    @classmethod
    def of(cls, lines: list[TextLine]) -> Row:
        ordered = tuple(sorted(lines, key=lambda ln: ln.x0))
        size = max(line.size for line in ordered)
        return cls(
            lines=ordered,
            y0=min(line.y0 for line in ordered),
            y1=max(line.y1 for line in ordered),
            x0=ordered[0].x0,
            size=size,
            bold=any(line.bold for line in ordered if line.size == size),
        )

    @property
    def main_text(self) -> str:
        return " ".join(line.main_text for line in self.lines if line.main_text)


def read_lines(page: pymupdf.Page, page_number: int) -> list[TextLine]:
    """Every non-empty text line of the page, in PyMuPDF's reading order."""
    layout: dict[str, Any] = page.get_text("dict", flags=_TEXT_FLAGS)
    lines: list[TextLine] = []
    for block in layout["blocks"]:
        for raw_line in block.get("lines", ()):
            line = _make_line(raw_line, page_number, int(block["number"]))
            if line is not None:
                lines.append(line)
    return lines


def _make_line(raw_line: dict[str, Any], page_number: int, block: int) -> TextLine | None:
    raw_spans = raw_line["spans"]
    main = raw_spans[0]
    weight = 0.0
    for raw in raw_spans:
        span_weight = len(raw["text"].strip()) * raw["size"] ** 2
        if span_weight > weight:
            main, weight = raw, span_weight
    main_size = float(main["size"])
    if main_size <= 0.5 or weight == 0:
        return None
    spans = _merge_spans(raw_spans, main_size)
    x0, y0, x1, y1 = raw_line["bbox"]
    return TextLine(
        text="".join(span.text for span in spans).strip(),
        main_text="".join(span.text for span in spans if not span.superscript).strip(),
        spans=spans,
        size=round(main_size, 1),
        bold=_is_bold(main),
        x0=float(x0),
        y0=float(y0),
        x1=float(x1),
        y1=float(y1),
        page=page_number,
        block=block,
        rotated=abs(raw_line["dir"][0]) < 0.99,
    )


def _merge_spans(raw_spans: list[dict[str, Any]], main_size: float) -> tuple[Span, ...]:
    """Spans with neighbours of the same size and weight merged: many PDFs set one per word."""
    merged: list[list[Any]] = []
    for raw in raw_spans:
        text = raw["text"]
        if not text:
            continue
        size = raw["size"]
        bold = _is_bold(raw)
        if merged and merged[-1][1] == size and merged[-1][2] == bold:
            merged[-1][0] += text
            merged[-1][4] = raw["bbox"][2]
        else:
            merged.append([text, size, bold, raw["bbox"][0], raw["bbox"][2]])
    threshold = main_size * _SUPERSCRIPT_RATIO
    return tuple(
        Span(
            compose_spacing_accents(text), float(size), bold, float(x0), float(x1), size < threshold
        )
        for text, size, bold, x0, x1 in merged
    )


def _is_bold(raw_span: dict[str, Any]) -> bool:
    return bool(raw_span["flags"] & pymupdf.TEXT_FONT_BOLD) or "bold" in raw_span["font"].lower()


def group_rows(lines: list[TextLine]) -> list[Row]:
    """Horizontal lines grouped into rows sharing a vertical band, top to bottom."""
    rows: list[tuple[list[TextLine], list[float]]] = []
    for line in sorted((ln for ln in lines if not ln.rotated), key=lambda ln: (ln.y0, ln.x0)):
        center = (line.y0 + line.y1) / 2
        for members, band in reversed(rows[-3:]):
            tolerance = min(line.y1 - line.y0, band[1] - band[0]) * 0.35
            if abs(center - (band[0] + band[1]) / 2) <= tolerance:
                members.append(line)
                band[0] = min(band[0], line.y0)
                band[1] = max(band[1], line.y1)
                break
        else:
            rows.append(([line], [line.y0, line.y1]))
    return [Row.of(members) for members, _ in rows]


def line_pitch_ratio(rows: list[Row]) -> float:
    """Median distance between consecutive rows of the same size, in font sizes."""
    ratios: list[float] = []
    for previous, row in pairwise(rows):
        if row.size != previous.size or row.size <= 0:
            continue
        step = (row.y0 - previous.y0) / row.size
        if 0 < step < 4:
            ratios.append(step)
    if not ratios:
        return 1.2
    ratios.sort()
    return ratios[len(ratios) // 2]
