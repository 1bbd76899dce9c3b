"""Page 1 of a PDF as the language models see it: rendered, or as plain text.

Run in the extraction pool's workers, like every other PyMuPDF call of the service.
"""

from __future__ import annotations

import pymupdf


def render_first_page_png(path: str, *, dpi: int) -> bytes:
    """Page 1 as a PNG."""
    with pymupdf.open(path) as doc:
        png: bytes = doc[0].get_pixmap(dpi=dpi).tobytes("png")
    return png


def read_first_page_text(path: str, *, limit: int) -> str:
    """At most `limit` characters of page 1's text layer."""
    with pymupdf.open(path) as doc:
        text: str = doc[0].get_text("text")
    return text[:limit]
