"""Where each field of an extracted paper came from: the page itself or the PDF's metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from catalogsvc.domain import ExtractedPaper, FieldSource


def with_sources(
    paper: ExtractedPaper, on_page: Mapping[str, bool], found: Mapping[str, FieldSource]
) -> ExtractedPaper:
    """The paper with its `sources`: for each field it has, `pdf` where the page printed it
    (`on_page`), `metadata` where the PDF's metadata gave it; `found` as given."""
    sources = {
        name: FieldSource.pdf if printed else FieldSource.metadata
        for name, printed in on_page.items()
        if getattr(paper, name)
    }
    sources.update({name: source for name, source in found.items() if getattr(paper, name)})
    if paper.type is not None:
        sources["type"] = FieldSource.pdf
    return replace(paper, sources=sources)
