"""This process as a replica: the name its job leases carry, and how long a lease lasts."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from catalogsvc.settings import Settings


@dataclass(frozen=True, slots=True)
class Replica:
    """A replica renews the leases of the jobs it holds; a lease unrenewed for `lease_s` ends.

    Named `host:pid` unless CATALOGSVC_REPLICA_ID names it, so a process of the same host can
    tell at once whether the holder of a job is still running.
    """

    name: str
    lease_s: float

    @classmethod
    def of_this_process(cls, settings: Settings) -> Replica:
        name = settings.replica_id or f"{socket.gethostname()}:{os.getpid()}"
        return cls(name=name, lease_s=settings.job_lease_s)

    def knows_gone(self, holder: str | None, *, at_start: bool) -> bool:
        """Whether the replica named `holder` is surely gone, without waiting for its lease.

        At start-up a holder of this replica's own name is its former self, restarted.
        """
        if holder == self.name:
            return at_start
        if holder is None:
            return True  # written before jobs had leases
        host, _, pid = holder.rpartition(":")
        return host == socket.gethostname() and pid.isdigit() and not _process_exists(int(pid))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, under another user
    return True
