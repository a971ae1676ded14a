"""Faults: add, list, and move through their states."""

from __future__ import annotations

import builtins
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.models import as_utc
from clustergenie_server.db.telemetry_models import FaultRow
from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState

_LIVE = (FaultState.SCHEDULED.value, FaultState.ACTIVE.value)


def _to_domain(row: FaultRow) -> Fault:
    return Fault(
        id=row.id,
        kind=FaultKind(row.kind),
        cluster_id=row.cluster_id,
        droplet_id=row.droplet_id,
        magnitude=row.magnitude,
        start_at=as_utc(row.start_at),
        duration_seconds=row.duration_seconds,
        state=FaultState(row.state),
        ended_at=as_utc(row.ended_at),
        description=row.description,
        created_at=as_utc(row.created_at),
    )


class FaultRepository:
    """Fault rows of one unit of work; never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        kind: FaultKind,
        cluster_id: int,
        droplet_id: int | None,
        magnitude: float,
        start_at: datetime,
        duration_seconds: float,
        state: FaultState,
        description: str,
        now: datetime,
    ) -> Fault:
        """Insert a fault."""
        row = FaultRow(
            kind=kind.value,
            cluster_id=cluster_id,
            droplet_id=droplet_id,
            magnitude=magnitude,
            start_at=start_at,
            duration_seconds=duration_seconds,
            state=state.value,
            ended_at=None,
            description=description[:300],
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _to_domain(row)

    def get(self, fault_id: int) -> Fault | None:
        """One fault, or None."""
        row = self._session.get(FaultRow, fault_id)
        return None if row is None else _to_domain(row)

    def list(
        self, *, cluster_id: int | None = None, include_ended: bool = False, limit: int = 200
    ) -> builtins.list[Fault]:
        """Faults, newest first; only scheduled and active ones unless include_ended."""
        query = sa.select(FaultRow).order_by(FaultRow.id.desc()).limit(limit)
        if cluster_id is not None:
            query = query.where(FaultRow.cluster_id == cluster_id)
        if not include_ended:
            query = query.where(FaultRow.state.in_(_LIVE))
        return [_to_domain(r) for r in self._session.scalars(query)]

    def set_state(self, fault_id: int, state: FaultState, ended_at: datetime | None) -> Fault:
        """Move a fault to a new state."""
        row = self._session.get(FaultRow, fault_id)
        if row is None:
            raise LookupError(f"fault {fault_id} does not exist")
        row.state = state.value
        if ended_at is not None:
            row.ended_at = ended_at
        self._session.flush()
        return _to_domain(row)
