"""The catalogsvc command with the gated extractor, for Ctrl-C tests: python -m tests.cli_gated."""

from __future__ import annotations

import sys

from catalogsvc.cli import main
from tests.gated_extract import extract_gated

if __name__ == "__main__":
    sys.exit(main(extract=extract_gated))
