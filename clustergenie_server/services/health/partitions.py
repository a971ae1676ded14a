"""Which server runs which check: leases on partitions in the database (not a consumer group).

Why a lease: checks must run on a schedule whether or not events flow, and the embedded default
has no Kafka. Checks are split into PARTITIONS by id; each server heartbeats, counts the live
servers, and holds leases on its fair share (ceil(partitions / servers)), renewed every
RENEW_SECONDS and lasting LEASE_SECONDS. A server that dies stops renewing: its partitions are
free after at most LEASE_SECONDS and taken at the next renewal of another server, so a takeover
takes under LEASE_SECONDS + RENEW_SECONDS. A server that stops cleanly releases at once.
A check runs where its partition is leased, so each runs once per interval (a server that
loses a lease stops its checks before another's lease can begin: leases are compared with
each server's own clock, so clocks must agree within LEASE_SECONDS - RENEW_SECONDS).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable

from clustergenie_server.db import Database
from clustergenie_server.db.health_alert_repository import LeaseRepository

log = logging.getLogger(__name__)

PARTITIONS = 16
LEASE_SECONDS = 6.0
RENEW_SECONDS = 2.0


class PartitionLeases:
    """This server's share of the partitions."""

    def __init__(
        self,
        db: Database,
        owner: str,
        *,
        partitions: int = PARTITIONS,
        lease_seconds: float = LEASE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db, self.owner, self.partitions = db, owner, partitions
        self.lease_seconds, self._clock = lease_seconds, clock
        self.held: frozenset[int] = frozenset()
        self._valid_until = 0.0
        self._leaving: frozenset[int] = frozenset()  # dropped here, released at the next renewal

    def owns(self, check_id: int) -> bool:
        """True when this server should run the check now."""
        return check_id % self.partitions in self.held and self._clock() < self._valid_until

    async def renew(
        self, before_release: Callable[[], Awaitable[object]] | None = None
    ) -> frozenset[int]:
        """Heartbeat, then keep/take this server's fair share and let go of the rest.

        A partition beyond the share stops running here at once but is released one renewal
        later, after `before_release` (writing pending results): the server that takes it then
        sees its last rounds and continues their schedule instead of running them again.
        """
        now = self._clock()
        expires = now + self.lease_seconds
        leaving = self._leaving
        if leaving and before_release is not None:
            await before_release()

        def balance(s: object) -> tuple[frozenset[int], frozenset[int]]:
            repo = LeaseRepository(s)  # type: ignore[arg-type]
            repo.heartbeat(self.owner, now)
            for p in leaving:
                repo.release(p, self.owner)
            servers = max(1, repo.live_servers(now - self.lease_seconds))
            share = math.ceil(self.partitions / servers)
            leases = repo.leases()
            mine = sorted(
                p
                for p, (o, e) in leases.items()
                if o == self.owner and e >= now and p not in leaving
            )
            held = {p for p in mine[:share] if repo.claim(p, self.owner, now, expires)}
            for p in range(self.partitions):
                if len(held) >= share:
                    break
                free = p not in leases or leases[p][1] < now
                if (
                    p not in held
                    and p not in leaving
                    and free
                    and repo.claim(p, self.owner, now, expires)
                ):
                    held.add(p)
            return frozenset(held), frozenset(mine[share:])

        held, self._leaving = await self._db.run(balance)
        if held != self.held:
            log.info("health partitions held: %s", sorted(held))
        self.held, self._valid_until = held, expires - RENEW_SECONDS / 2
        return held

    async def release(self) -> None:
        """Leave: free every lease now so another server takes over at its next renewal."""
        await self._db.run(lambda s: LeaseRepository(s).forget(self.owner))
        self.held = frozenset()
