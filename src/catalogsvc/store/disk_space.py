"""A full disk: how to recognise one, and the spare bytes that let jobs end while it lasts."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from pathlib import Path

log = logging.getLogger("catalogsvc.store")

_OUT_OF_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# PostgreSQL's disk_full condition.
_PG_DISK_FULL = "53100"


def is_out_of_space(error: BaseException) -> bool:
    """Whether `error` (an OSError or a database driver's error) means the disk is full."""
    if isinstance(error, OSError) and error.errno in _OUT_OF_SPACE_ERRNOS:
        return True
    if getattr(error, "sqlite_errorname", None) == "SQLITE_FULL":
        return True
    return getattr(error, "sqlstate", None) == _PG_DISK_FULL


class DiskReserve:
    """Spare bytes in the data folder, in a few slices. When the disk fills up, each write
    that ends, cancels or deletes a job may give back one slice and try again, so no job
    stays `running` and a user can still free space through the API; the slices are laid
    again once there is room."""

    SLICES = 4

    def __init__(self, folder: Path, size_bytes: int) -> None:
        self.slice_bytes = size_bytes // self.SLICES
        self.paths = [folder / f"disk-reserve-{index}" for index in range(self.SLICES)]

    def restore(self) -> bool:
        """Lay the missing slices while the disk has room; whether all are in place."""
        if self.slice_bytes <= 0:
            return False
        return all(self._lay(path) for path in self.paths)

    def release(self) -> bool:
        """Give one slice back to the disk; whether there was one to give."""
        for path in self.paths:
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            log.warning(
                "the disk holding %s is full: gave back %d MB of its reserve",
                path.parent,
                self.slice_bytes // (1024 * 1024),
            )
            return True
        return False

    def _lay(self, path: Path) -> bool:
        with contextlib.suppress(OSError):
            if path.stat().st_size >= self.slice_bytes:
                return True
        try:
            with path.open("wb") as reserve:
                os.posix_fallocate(reserve.fileno(), 0, self.slice_bytes)
        except OSError:
            path.unlink(missing_ok=True)
            return False
        return True
