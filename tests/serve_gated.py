"""Run the real service under uvicorn with the gated extractor, for crash and SIGTERM tests.

Usage: python -m tests.serve_gated PORT (settings from CATALOGSVC_* variables).
"""

from __future__ import annotations

import sys

from catalogsvc.app import create_app
from catalogsvc.serving import serve
from catalogsvc.settings import Settings
from tests.gated_extract import extract_gated

if __name__ == "__main__":
    app = create_app(Settings(), extract=extract_gated)
    # `catalogsvc serve` leaves uvicorn's loop at "auto", which is uvloop when it is installed
    # (uvicorn[standard]); naming it makes a missing uvloop an error here, not another loop.
    serve(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", loop="uvloop")
