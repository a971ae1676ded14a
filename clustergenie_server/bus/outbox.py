"""The transactional outbox: a change and its events commit in one transaction, then a relay
publishes the events.

Why: publishing after commit (`db.run(change)` then `bus.publish(events)`) half-happens when the
server dies, or the broker is down, between the two: the row changes and nobody hears of it (a
GUI shows a job as running forever). Here a unit of work stores its events in the `outbox` table
in the same transaction as its change, so both commit or neither does; the relay task then
publishes committed rows in id order and deletes them. A crash after commit only delays the
events: the relay of the restarted server (or of another server, once the row's claim runs out,
like an expired job lease) publishes them. A crash after publishing but before the delete
publishes them again: delivery is at least once, and consumers drop event ids they have seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from clustergenie_server.bus import codec
from clustergenie_server.bus.event_bus import LOCAL_TOPIC, Envelope, EventBus
from clustergenie_server.db import Database
from clustergenie_server.db.outbox_repository import OutboxRecord, OutboxRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.events import Event

T = TypeVar("T")

log = logging.getLogger(__name__)

# How long a row stays its writer's to relay; after that any server may (the writer died).
DEFAULT_HOLD_SECONDS = 10.0
# The relay is woken after every local commit; polling catches rows other servers abandoned.
DEFAULT_POLL_SECONDS = 1.0
# The relay starts at most one round per this period, so that a burst of commits goes out as
# one batch: one claim and one delete for all of them instead of two transactions per commit,
# which under load doubled the database work of every change. A commit after a quiet spell is
# relayed at once; this server's own subscribers never wait (they hear at commit).
DEFAULT_GATHER_SECONDS = 0.05
# Envelopes kept from this server's commits so the relay need not decode their rows again; a
# row another server relays (ours had died) is never claimed here, so the memory is capped.
_MAX_REMEMBERED = 50_000
_BATCH = 500
_MAX_BACKOFF_SECONDS = 10.0


class Outbox:
    """Units of work that commit events with their change, and the relay that publishes them."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        *,
        owner: str,
        hold_seconds: float = DEFAULT_HOLD_SECONDS,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
        gather_seconds: float = DEFAULT_GATHER_SECONDS,
    ) -> None:
        self._db, self.bus, self.owner = db, bus, owner
        self._hold, self._poll, self._gather = hold_seconds, poll_seconds, gather_seconds
        self._committed: dict[str, Envelope] = {}  # event id -> envelope, until relayed
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- units of work -------------------------------------------------------------------------

    async def commit(self, fn: Callable[[Session], tuple[T, Sequence[Event]]]) -> T:
        """Run fn in one transaction that also stores the events it returns; wake the relay."""
        staged: list[Envelope] = []

        def unit(session: Session) -> T:
            result, events = fn(session)
            staged[:] = self.stage(session, events)
            return result

        async def commit_and_hand_over() -> T:
            result = await self._db.run(unit)
            if len(self._committed) > _MAX_REMEMBERED:
                self._committed.clear()  # only a cache: the rows are decoded instead
            self._committed.update((e.event_id, e) for e in staged if e.topic != LOCAL_TOPIC)
            # This server's own subscribers (watch streams, the hot view) hear at once, so a read
            # right after a write sees it; the relay's copy follows and they drop it by event id.
            self.bus.deliver_local(staged)
            self.wake()
            return result

        # Shielded: a caller cancelled mid-commit (a job being cancelled) must not skip the
        # hand-over, or the relay would deliver this event later, after newer ones of the key.
        return await asyncio.shield(asyncio.ensure_future(commit_and_hand_over()))

    def stage(self, session: Session, events: Sequence[Event]) -> list[Envelope]:
        """Store events in the caller's transaction; returns their envelopes.

        Events with no wire schema yet (LOCAL_TOPIC) are not stored: they never leave this server.
        """
        now = utcnow()
        envelopes = [codec.envelope(event, self.owner, occurred_at=now) for event in events]
        records = [
            OutboxRecord(env.event_id, env.topic, env.key, codec.encode(env))
            for env in envelopes
            if env.topic != LOCAL_TOPIC
        ]
        if records:
            OutboxRepository(session).add(
                records, owner=self.owner, now=now, hold_seconds=self._hold
            )
        return envelopes

    # -- the relay -----------------------------------------------------------------------------

    def wake(self) -> None:
        """Ask the relay to publish now (after a commit)."""
        self._wake.set()

    async def start(self) -> None:
        """Start relaying (rows left by this server's previous run go out at once)."""
        self._task = asyncio.create_task(self._relay_loop(), name="outbox-relay")

    async def stop(self, *, flush_timeout: float = 5.0) -> None:
        """Stop the relay after one last attempt to publish what is committed."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            async with asyncio.timeout(flush_timeout):
                while await self.relay_once():
                    pass
        except Exception as exc:  # left in the table: the next relay publishes them
            log.warning("outbox: events left unpublished at shutdown (%s)", exc)

    async def relay_once(self) -> bool:
        """Publish one batch of claimable rows in order; True if there may be more."""
        now = utcnow()
        claimed = await self._db.run(
            lambda s: OutboxRepository(s).claim(
                owner=self.owner, now=now, hold_seconds=self._hold, limit=_BATCH
            )
        )
        if not claimed:
            return False
        envelopes = []
        for item in claimed:
            if (known := self._committed.pop(item.record.event_id, None)) is not None:
                envelopes.append(known)
                continue
            try:
                envelopes.append(codec.decode(item.record.payload, item.record.topic))
            except codec.UndecodableEvent as exc:
                log.error("outbox: dropping row %d that cannot be decoded: %s", item.id, exc)
        await self.bus.publish_envelopes(envelopes)
        ids = [item.id for item in claimed]
        await self._db.run(lambda s: OutboxRepository(s).delete(ids))
        return len(claimed) >= _BATCH

    async def pending(self) -> int:
        """Rows not yet published (every server's)."""
        return await self._db.run(lambda s: OutboxRepository(s).count())

    async def _relay_loop(self) -> None:
        backoff, loop = self._poll, asyncio.get_running_loop()
        began = -self._gather
        while True:
            # At most one round per gather period: a lone commit is relayed at once, a burst
            # waits out the rest of the period and goes as one batch.
            await asyncio.sleep(max(0.0, began + self._gather - loop.time()))
            began = loop.time()
            self._wake.clear()
            try:
                while await self.relay_once():
                    pass
                backoff = self._poll
            except Exception as exc:  # broker or database down: the rows wait in the table
                log.warning("outbox: cannot publish events (%s); retrying in %.1fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)
                continue
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the cancel of stop().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll):
                    await self._wake.wait()
