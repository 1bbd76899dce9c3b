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
    """A file of spare bytes in the data folder. When the disk fills up, giving it back lets
    the writes that end, cancel and delete jobs still succeed, so no job stays `running` and
    a user can free space through the API; it is laid again once there is room."""

    def __init__(self, path: Path, size_bytes: int) -> None:
        self.path = path
        self.size_bytes = size_bytes

    def restore(self) -> bool:
        """Lay the reserve if it is missing and the disk has room; whether it is in place."""
        if self.size_bytes <= 0:
            return False
        with contextlib.suppress(OSError):
            if self.path.stat().st_size >= self.size_bytes:
                return True
        try:
            with self.path.open("wb") as reserve:
                os.posix_fallocate(reserve.fileno(), 0, self.size_bytes)
        except OSError:
            self.path.unlink(missing_ok=True)
            return False
        return True

    def release(self) -> bool:
        """Give the reserve back to the disk; whether there was one to give."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        log.warning(
            "the disk holding %s is full: released its %d MB reserve to record job states",
            self.path.parent,
            self.size_bytes // (1024 * 1024),
        )
        return True
