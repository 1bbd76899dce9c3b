"""Rendering catalogs off the event loop, and giving back what rendering a big one built."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from catalogsvc.free_memory import release_free_memory

T = TypeVar("T")
# Papers from which rendering leaves enough freed memory (tens of MB for 10,000) to give back.
BIG_CATALOG = 1000


async def render_in_thread(render: Callable[[], T], papers: int) -> T:
    """`render()` in a thread; for a big catalog, its freed memory goes back to the system once
    the rendering's own objects are gone (the result aside)."""
    rendered = await asyncio.to_thread(render)
    if papers >= BIG_CATALOG:
        await asyncio.to_thread(release_free_memory)
    return rendered
