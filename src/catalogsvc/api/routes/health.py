"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

from catalogsvc.api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> HealthOut:
    """Answer while the process is alive."""
    return HealthOut()
