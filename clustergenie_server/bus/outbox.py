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
    ) -> None:
        self._db, self.bus, self.owner = db, bus, owner
        self._hold, self._poll = hold_seconds, poll_seconds
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
        backoff = self._poll
        while True:
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
