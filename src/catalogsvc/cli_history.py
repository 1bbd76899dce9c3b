"""`catalogsvc jobs`: the history as a table that fits the terminal.

Every column but the error is as wide as its widest cell (a name and a status are cut at
CAPS); on a narrow terminal the name, then the status, give way (to SHRINKABLE); the error
gets what is left, and is left out when that is too little. The id, to resume a job, and
the counts show whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Column, Table

HEADERS = ("id", "name", "status", "created", "files", "papers")
CAPS = {"name": 20, "status": 24}
SHRINKABLE = {"name": 4, "status": 11}  # the narrowest each may get
ERROR_MIN_WIDTH = 10
# A space on each side of every column, one between columns (SIMPLE_HEAD draws them blank)
# and one at each edge.
SPACE_PER_COLUMN = 3


def history_table(rows: Sequence[tuple[str, ...]], width: int) -> Table:
    """The table of `rows` (id, name, status, created, files, papers, error) in `width`."""
    widths = [
        min(max([len(header)] + [len(row[n]) for row in rows]), CAPS.get(header, width))
        for n, header in enumerate(HEADERS)
    ]
    over = sum(widths) + SPACE_PER_COLUMN * len(HEADERS) + 1 - width
    for header, narrowest in SHRINKABLE.items():
        n = HEADERS.index(header)
        cut = max(min(over, widths[n] - narrowest), 0)
        widths[n] -= cut
        over -= cut
    left = -over - SPACE_PER_COLUMN
    columns = [
        Column(
            header,
            width=column_width,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if header in ("files", "papers") else "left",
        )
        for header, column_width in zip(HEADERS, widths, strict=True)
    ]
    with_error = left >= ERROR_MIN_WIDTH and any(row[-1] for row in rows)
    if with_error:
        columns.append(Column("error", width=left, no_wrap=True, overflow="ellipsis"))
    table = Table(*columns, box=box.SIMPLE_HEAD)
    for row in rows:
        table.add_row(*(row if with_error else row[:-1]))
    return table
