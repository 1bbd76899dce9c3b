"""The JSON catalog: the papers as stored, grouped by category."""

from __future__ import annotations

import json
from collections.abc import Sequence

from catalogsvc.catalog.contents import CatalogHeader, CategoryGroup


def render_json(groups: Sequence[CategoryGroup], header: CatalogHeader) -> str:
    document = {
        "job_id": header.job_id,
        "title": header.title,
        "partial": header.partial,
        "categories": [
            {
                "name": group.name,
                "papers": [paper.model_dump(mode="json") for paper in group.papers],
            }
            for group in groups
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
