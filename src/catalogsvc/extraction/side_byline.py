"""Bylines set as a grid of name columns beside the abstract, read column by column."""

from __future__ import annotations

from dataclasses import replace

from catalogsvc.extraction.authors import AuthorScan, find_authors
from catalogsvc.extraction.header import is_header_stop
from catalogsvc.extraction.pdf_layout import Row, TextLine, group_rows

# Name columns start at least this many font sizes apart.
_COLUMN_GAP = 2.0
# How far below the stop line, in font sizes, its column is checked.
_COLUMN_DEPTH = 6


def find_side_authors(
    lines: list[TextLine], scan: AuthorScan, stop: TextLine, top: float
) -> AuthorScan | None:
    """Authors stacked in columns left of where the abstract starts, or None if not so set.

    Extended-abstract layouts put name, affiliation and email blocks in a grid beside the
    abstract column; each column is read top to bottom before the next, as the authors ordered it.
    """
    if not scan.pieces or scan.right > stop.x0 or not _starts_a_column(lines, stop, scan.right):
        return None
    side = [ln for ln in lines if not ln.rotated and ln.x1 <= stop.x0 and ln.y0 >= top]
    rows = _column_major_rows(side)
    bottom = next((row.y0 for row in rows if any(is_header_stop(ln) for ln in row.lines)), None)
    found = find_authors(rows, top=top, bottom=bottom if bottom is not None else float("inf"))
    if len(found.names) <= len(scan.names):
        return None
    # The grid runs on beside the abstract; the header, for what follows, ends where it starts.
    return replace(found, last_y=min(found.last_y, stop.y0))


def _starts_a_column(lines: list[TextLine], stop: TextLine, left: float) -> bool:
    """Whether the text under the stop line keeps right of `left`, as a column of its own would;
    a centred Abstract heading over a full-width abstract does not."""
    below = (
        ln
        for ln in lines
        if stop.y0 <= ln.y0 < stop.y0 + _COLUMN_DEPTH * stop.size
        and ln.x1 > stop.x0
        and ln.x0 < stop.x1
    )
    return all(ln.x0 >= left for ln in below)


def _column_major_rows(lines: list[TextLine]) -> list[Row]:
    columns: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: ln.x0):
        if columns and line.x0 - columns[-1][0].x0 < _COLUMN_GAP * line.size:
            columns[-1].append(line)
        else:
            columns.append([line])
    return [row for column in columns for row in group_rows(column)]
