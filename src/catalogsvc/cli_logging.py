"""The CLI's log lines: above the progress bar in a terminal, one plain line each elsewhere."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(console: Console) -> None:
    """In a terminal, log through the console the progress bar draws on (a log line never
    tears the bar). Elsewhere (a log file, a pipe) one plain line a record, which grep finds
    whole: Rich broke a record over lines at 80 columns."""
    if console.is_terminal:
        handler: logging.Handler = RichHandler(
            console=console, show_path=False, rich_tracebacks=False
        )
        line = "%(name)s: %(message)s"
    else:
        handler, line = logging.StreamHandler(), PLAIN
    logging.basicConfig(level=logging.INFO, format=line, handlers=[handler])
