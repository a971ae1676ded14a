"""Read-only counts for the operator's metrics: jobs by kind and state, the outbox backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.models import ClusterRow, DropletRow, JobRow, as_utc
from clustergenie_server.db.outbox_models import OutboxRow


@dataclass(frozen=True, slots=True)
class OpsCounts:
    """One consistent look at what the metrics endpoint reports from the database."""

    jobs: tuple[tuple[str, str, int], ...]  # (kind, state, count)
    droplets: tuple[tuple[str, int], ...]  # (status, count)
    clusters: tuple[tuple[int, str, str], ...]  # live clusters: (id, name, region)
    outbox_pending: int
    outbox_oldest: datetime | None  # when the oldest unpublished event was committed


class OpsRepository:
    """Aggregates over every server's rows (the database is shared); never writes."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def counts(self) -> OpsCounts:
        """Grouped counts: a few index-backed aggregates, not a read of every row."""
        s = self._session
        jobs = s.execute(
            sa.select(JobRow.kind, JobRow.state, sa.func.count()).group_by(
                JobRow.kind, JobRow.state
            )
        ).all()
        droplets = s.execute(
            sa.select(DropletRow.status, sa.func.count()).group_by(DropletRow.status)
        ).all()
        clusters = s.execute(
            sa.select(ClusterRow.id, ClusterRow.name, ClusterRow.region)
            .where(ClusterRow.deleted_at.is_(None))
            .order_by(ClusterRow.id)
        ).all()
        pending, oldest = s.execute(
            sa.select(sa.func.count(), sa.func.min(OutboxRow.created_at))
        ).one()
        return OpsCounts(
            jobs=tuple((str(k), str(st), int(n)) for k, st, n in jobs),
            droplets=tuple((str(st), int(n)) for st, n in droplets),
            clusters=tuple((int(i), str(n), str(r)) for i, n, r in clusters),
            outbox_pending=int(pending or 0),
            outbox_oldest=_utc(oldest),
        )


def _utc(value: datetime | str | None) -> datetime | None:
    # min() over a DateTime column comes back as text on SQLite (the type decorator does not
    # apply to an aggregate's result).
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return None if value is None else as_utc(value)
