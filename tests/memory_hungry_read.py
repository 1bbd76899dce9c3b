"""A reading of a PDF that reserves far more memory than it reads, for the pool's memory limit."""

from __future__ import annotations

RESERVED_MB = 2048


def reserve_memory(path: str) -> int:
    """Reserve RESERVED_MB of (untouched, zeroed) memory and report its size."""
    block = bytearray(RESERVED_MB * 1024 * 1024)
    return len(block) // (1024 * 1024)
