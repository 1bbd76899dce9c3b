"""LeaseKeeper: renews this replica's job leases and ends the jobs nobody holds any more."""

from __future__ import annotations

import asyncio
import logging

from catalogsvc.jobs.replica import Replica
from catalogsvc.jobs.transitions import JobTransitions

log = logging.getLogger("catalogsvc.jobs")

# Renewals per lease period: a replica may miss two renewals before its jobs are taken from it.
RENEWALS_PER_LEASE = 3


class LeaseKeeper:
    """Replicas sharing one database leave each other's live jobs alone; a crashed one's end."""

    def __init__(self, transitions: JobTransitions, replica: Replica) -> None:
        self._transitions = transitions
        self._replica = replica

    async def recover_at_start(self) -> list[str]:
        """Interrupt the jobs left by this replica's former self, dead local processes, or
        replicas whose leases expired."""
        return await self._transitions.interrupt_abandoned_jobs(self._replica, at_start=True)

    async def run(self) -> None:
        """Renew and sweep RENEWALS_PER_LEASE times per lease period, until cancelled."""
        while True:
            await asyncio.sleep(self._replica.lease_s / RENEWALS_PER_LEASE)
            try:
                await self._transitions.renew_leases(self._replica.name)
                await self._transitions.interrupt_abandoned_jobs(self._replica, at_start=False)
            except Exception:  # a store hiccup must not end the renewals; the next round retries
                log.exception("could not renew job leases")
