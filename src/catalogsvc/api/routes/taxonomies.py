"""Built-in taxonomies."""

from __future__ import annotations

from fastapi import APIRouter

from catalogsvc.api.schemas import TaxonomyOut
from catalogsvc.taxonomies import BUILTIN_TAXONOMIES

router = APIRouter(prefix="/api", tags=["taxonomies"])


@router.get("/taxonomies")
async def list_taxonomies() -> list[TaxonomyOut]:
    """List the built-in taxonomies a job may name."""
    return [TaxonomyOut.model_validate(t.model_dump()) for t in BUILTIN_TAXONOMIES.values()]
