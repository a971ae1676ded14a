"""Retention by age and by size, enforced continuously in small units of work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from clustergenie_server.db import Database
from clustergenie_server.db.log_store import LogStore

log = logging.getLogger(__name__)

EVERY_SECONDS = 5.0  # wall
BATCH_CHUNKS = 200  # per unit of work: a few ms of the write lock


@dataclass(frozen=True, slots=True)
class RetentionLimits:
    """How long and how much."""

    max_age_seconds: float  # simulated
    max_bytes: int


@dataclass(slots=True)
class RetentionStats:
    """What retention removed since start."""

    by_age: int = 0
    by_size: int = 0
    oldest_kept_after: float | None = None


class Retention:
    """Deletes chunks older than the age limit, then the oldest while over the size limit."""

    def __init__(
        self, db: Database, store: LogStore, limits: RetentionLimits, now: Callable[[], float]
    ) -> None:
        self._db, self._store, self.limits, self._now = db, store, limits, now
        self.stats = RetentionStats()
        self._task: asyncio.Task[None] | None = None

    async def enforce(self) -> int:
        """One pass; returns chunks deleted."""
        cutoff = self._now() - self.limits.max_age_seconds
        deleted = 0
        while True:
            n = await self._db.run(lambda s: self._store.delete_before(s, cutoff, BATCH_CHUNKS))
            self.stats.by_age += n
            deleted += n
            if n < BATCH_CHUNKS:
                break
        while (total := await self._db.read(self._store.total_bytes)) > self.limits.max_bytes:
            excess = total - self.limits.max_bytes
            n, freed, newest = await self._db.run(
                partial(self._store.delete_oldest, excess=excess, limit=BATCH_CHUNKS)
            )
            if n == 0:
                break
            self.stats.by_size += n
            self.stats.oldest_kept_after = newest
            deleted += n
            log.info("logs: size limit: deleted %d oldest chunks (%d bytes)", n, freed)
        return deleted

    async def start(self) -> None:
        """Enforce every few seconds."""
        self._task = asyncio.create_task(self._loop(), name="logs-retention")

    async def stop(self) -> None:
        """Stop enforcing."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(EVERY_SECONDS)
            try:
                await self.enforce()
            except Exception as exc:  # an outage: try again next time
                log.warning("logs: retention failed (%s); retrying", exc)
