"""Outbox rows of one unit of work: add with the change, claim and delete from the relay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.outbox_models import OutboxRow

# The table itself: Core statements on it skip the ORM's per-row bookkeeping.
_OUTBOX = cast(sa.Table, OutboxRow.__table__)


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """One event as the outbox stores it."""

    event_id: str
    topic: str
    key: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class ClaimedRecord:
    """A stored event the caller's relay has claimed, with its row id (publish order)."""

    id: int
    record: OutboxRecord


class OutboxRepository:
    """Never commits: the caller's transaction holds the change and its events together."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, records: Sequence[OutboxRecord], *, owner: str, now: datetime, hold_seconds: float
    ) -> None:
        """Store events, claimed by their writer for hold_seconds (then anyone may relay them)."""
        until = now + timedelta(seconds=hold_seconds)
        # One Core executemany, not ORM objects and a flush: nothing reads these rows back in
        # the writer's transaction, and this runs in every unit of work that changes anything.
        # Rows are inserted in list order, so ascending ids keep the events' order.
        self._session.execute(
            sa.insert(_OUTBOX),
            [
                {
                    "event_id": r.event_id,
                    "topic": r.topic,
                    "event_key": r.key,
                    "payload": r.payload,
                    "created_at": now,
                    "claimed_by": owner,
                    "claimed_until": until,
                }
                for r in records
            ],
        )

    def claim(
        self, *, owner: str, now: datetime, hold_seconds: float, limit: int
    ) -> list[ClaimedRecord]:
        """Claim (or keep) the oldest rows that are owner's or whose claim ran out; oldest first.

        The claim is a conditional UPDATE like a job lease's: of two relays that pick the same
        abandoned row, one updates it; the other sees it is not theirs and leaves it.
        """
        claimable = sa.or_(OutboxRow.claimed_by == owner, OutboxRow.claimed_until < now)
        ids = list(
            self._session.scalars(
                sa.select(OutboxRow.id).where(claimable).order_by(OutboxRow.id).limit(limit)
            )
        )
        if not ids:
            return []
        self._session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.id.in_(ids), claimable)
            .values(claimed_by=owner, claimed_until=now + timedelta(seconds=hold_seconds))
            .execution_options(synchronize_session=False)
        )
        rows = self._session.execute(
            sa.select(
                OutboxRow.id,
                OutboxRow.event_id,
                OutboxRow.topic,
                OutboxRow.event_key,
                OutboxRow.payload,
            )
            .where(OutboxRow.id.in_(ids), OutboxRow.claimed_by == owner)
            .order_by(OutboxRow.id)
        )
        return [
            ClaimedRecord(row.id, OutboxRecord(row.event_id, row.topic, row.event_key, row.payload))
            for row in rows
        ]

    def delete(self, ids: Sequence[int]) -> int:
        """Forget published rows; returns how many were still there."""
        if not ids:
            return 0
        result = self._session.execute(
            sa.delete(OutboxRow)
            .where(OutboxRow.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))

    def count(self) -> int:
        """Rows still to publish (for tests and diagnostics)."""
        return int(self._session.scalar(sa.select(sa.func.count()).select_from(OutboxRow)) or 0)
