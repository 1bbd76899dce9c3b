"""The `catalogsvc` command. This module imports nothing heavy, so that a Ctrl-C at any moment
of start-up (the imports, the migrations, the extraction processes) ends in one line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalogsvc.extraction.pool import ExtractFn

INTERRUPTED = 130  # the shell's code for a command ended by SIGINT


def main(argv: Sequence[str] | None = None, *, extract: ExtractFn | None = None) -> int:
    """Run the command line; `extract` reads each PDF (tests pass a slower one)."""
    try:
        from catalogsvc.cli_commands import run_command

        return run_command(argv, extract=extract)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
