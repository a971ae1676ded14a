"""Health checks, results, transitions and target states; sessions are the caller's."""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from clustergenie_server.db.health_models import (
    health_checks,
    health_results,
    health_status,
    health_transitions,
)
from clustergenie_server.domain.health import (
    AutoHeal,
    CheckDefinition,
    CheckKind,
    CheckResult,
    HealthState,
    HttpSpec,
    Outcome,
    Phases,
    TargetKind,
    Transition,
)


def inserted_id(result: sa.Result[Any]) -> int:
    """The new row's id of an INSERT (which always yields a cursor result)."""
    key = cast(CursorResult[Any], result).inserted_primary_key
    assert key is not None  # an INSERT of one row
    return int(key[0])


def rowcount(result: sa.Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched."""
    return int(cast(CursorResult[Any], result).rowcount)


_COLUMNS = ("id", "name", "target_kind", "target_id", "paused", "created_at", "updated_at")


def encode_check(c: CheckDefinition) -> str:
    """The definition's fields without their own columns, as JSON."""
    body = {k: v for k, v in asdict(c).items() if k not in _COLUMNS}
    return json.dumps(body, sort_keys=True)


def decode_check(row: sa.Row[Any]) -> CheckDefinition:
    """A definition from its row."""
    body = json.loads(row.body)
    http = body["http"]
    http["headers"] = tuple(tuple(h) for h in http["headers"])
    return CheckDefinition(
        id=row.id,
        name=row.name,
        kind=CheckKind(body["kind"]),
        target_kind=TargetKind(row.target_kind),
        target_id=row.target_id,
        address=body["address"],
        port=body["port"],
        http=HttpSpec(**http),
        interval_seconds=body["interval_seconds"],
        timeout_seconds=body["timeout_seconds"],
        conditions=body["conditions"],
        failure_threshold=body["failure_threshold"],
        success_threshold=body["success_threshold"],
        locations=tuple(body["locations"]),
        quorum=body["quorum"],
        paused=row.paused,
        auto_heal=AutoHeal(body["auto_heal"]),
        auto_heal_after=body["auto_heal_after"],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class CheckRepository:
    """Check definitions."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, check: CheckDefinition, now: float) -> CheckDefinition:
        """Store a new definition; returns it with its id and times."""
        result = self._s.execute(
            sa.insert(health_checks).values(**self._values(check, now), created_at=now)
        )
        return replace(check, id=inserted_id(result), created_at=now, updated_at=now)

    def update(self, check: CheckDefinition, now: float) -> CheckDefinition:
        """Replace a stored definition (its id and creation time stay)."""
        self._s.execute(
            sa.update(health_checks)
            .where(health_checks.c.id == check.id)
            .values(**self._values(check, now))
        )
        return replace(check, updated_at=now)

    def delete(self, check_id: int) -> bool:
        """Remove a definition with its states; False when there was none."""
        self._s.execute(sa.delete(health_status).where(health_status.c.check_id == check_id))
        return (
            rowcount(
                self._s.execute(sa.delete(health_checks).where(health_checks.c.id == check_id))
            )
            > 0
        )

    def get(self, check_id: int) -> CheckDefinition | None:
        """One definition."""
        row = self._s.execute(
            sa.select(health_checks).where(health_checks.c.id == check_id)
        ).first()
        return decode_check(row) if row else None

    def list(self) -> builtins.list[CheckDefinition]:
        """Every definition, oldest first."""
        rows = self._s.execute(sa.select(health_checks).order_by(health_checks.c.id))
        return [decode_check(r) for r in rows]

    def name_taken(self, name: str, other_than: int = 0) -> bool:
        """True when another check has this name."""
        query = sa.select(health_checks.c.id).where(
            health_checks.c.name == name, health_checks.c.id != other_than
        )
        return self._s.execute(query).first() is not None

    @staticmethod
    def _values(check: CheckDefinition, now: float) -> dict[str, Any]:
        return {
            "name": check.name,
            "target_kind": check.target_kind.value,
            "target_id": check.target_id,
            "paused": check.paused,
            "body": encode_check(check),
            "updated_at": now,
        }


def _result_row(r: CheckResult) -> dict[str, Any]:
    return {
        "check_id": r.check_id,
        "target": r.target,
        "location": r.location,
        "at": r.at,
        "scheduled_at": r.scheduled_at,
        "outcome": r.outcome.value,
        "latency_ms": r.latency_ms,
        "connected": r.connected,
        "status_code": r.status_code,
        "error": r.error[:300],
        "failed_condition": r.failed_condition[:300],
        "reason": r.reason[:300],
        "connect_ms": r.phases.connect_ms,
        "tls_ms": r.phases.tls_ms,
        "first_byte_ms": r.phases.first_byte_ms,
        "transfer_ms": r.phases.transfer_ms,
        "cert_expiry_at": r.cert_expiry_at,
    }


def _result(row: sa.Row[Any]) -> CheckResult:
    return CheckResult(
        id=row.id,
        check_id=row.check_id,
        target=row.target,
        location=row.location,
        at=row.at,
        scheduled_at=row.scheduled_at,
        outcome=Outcome(row.outcome),
        latency_ms=row.latency_ms,
        connected=row.connected,
        status_code=row.status_code,
        error=row.error,
        failed_condition=row.failed_condition,
        reason=row.reason,
        phases=Phases(row.connect_ms, row.tls_ms, row.first_byte_ms, row.transfer_ms),
        cert_expiry_at=row.cert_expiry_at,
    )


def _transition(row: sa.Row[Any]) -> Transition:
    return Transition(
        id=row.id,
        check_id=row.check_id,
        target=row.target,
        cluster_id=row.cluster_id,
        from_state=HealthState(row.from_state),
        to_state=HealthState(row.to_state),
        at=row.at,
        reason=row.reason,
        locations_failing=tuple(x for x in row.locations.split(",") if x),
    )


class ResultRepository:
    """Results (written in bulk) and transitions."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def insert(self, results: Sequence[CheckResult]) -> None:
        """Store results (one executemany)."""
        if results:
            self._s.execute(sa.insert(health_results), [_result_row(r) for r in results])

    def results(
        self,
        *,
        check_id: int = 0,
        target: str = "",
        since: float = 0.0,
        until: float = float("inf"),
        limit: int = 10_000,
        newest_first: bool = False,
    ) -> builtins.list[CheckResult]:
        """Results in [since, until), filtered by check and target."""
        c = health_results.c
        query = sa.select(health_results).where(c.at >= since)
        if until != float("inf"):
            query = query.where(c.at < until)
        if check_id:
            query = query.where(c.check_id == check_id)
        if target:
            query = query.where(c.target == target)
        order = (c.at.desc(), c.id.desc()) if newest_first else (c.at, c.id)
        return [_result(r) for r in self._s.execute(query.order_by(*order).limit(limit))]

    def max_id(self) -> int:
        """The newest result's id (0 when there is none)."""
        return int(self._s.execute(sa.select(sa.func.max(health_results.c.id))).scalar() or 0)

    def after(self, last_id: int, limit: int) -> builtins.list[CheckResult]:
        """Results stored after last_id, in id order."""
        c = health_results.c
        query = sa.select(health_results).where(c.id > last_id).order_by(c.id).limit(limit)
        return [_result(r) for r in self._s.execute(query)]

    def latest_per_target(self, check_ids: Sequence[int]) -> dict[tuple[int, str], CheckResult]:
        """The newest stored result of each (check, target)."""
        c = health_results.c
        newest = (
            sa.select(sa.func.max(c.id))
            .where(c.check_id.in_(list(check_ids)))
            .group_by(c.check_id, c.target)
        )
        rows = self._s.execute(sa.select(health_results).where(c.id.in_(newest)))
        return {(r.check_id, r.target): _result(r) for r in rows}

    def last_scheduled(self, check_ids: Sequence[int]) -> dict[int, float]:
        """When each check's newest stored round was due."""
        if not check_ids:
            return {}
        c = health_results.c
        query = (
            sa.select(c.check_id, sa.func.max(c.scheduled_at))
            .where(c.check_id.in_(list(check_ids)))
            .group_by(c.check_id)
        )
        return {int(k): float(v) for k, v in self._s.execute(query)}

    def count(self, check_id: int = 0) -> int:
        """How many results are stored (for one check)."""
        query = sa.select(sa.func.count()).select_from(health_results)
        if check_id:
            query = query.where(health_results.c.check_id == check_id)
        return int(self._s.execute(query).scalar_one())

    def delete_before(self, cutoff: float, limit: int) -> int:
        """Delete at most limit results older than cutoff; returns how many."""
        ids = (
            self._s.execute(
                sa.select(health_results.c.id).where(health_results.c.at < cutoff).limit(limit)
            )
            .scalars()
            .all()
        )
        if ids:
            self._s.execute(sa.delete(health_results).where(health_results.c.id.in_(ids)))
        return len(ids)

    def add_transition(self, t: Transition) -> Transition:
        """Store a transition; returns it with its id."""
        result = self._s.execute(
            sa.insert(health_transitions).values(
                check_id=t.check_id,
                target=t.target,
                cluster_id=t.cluster_id,
                from_state=t.from_state.value,
                to_state=t.to_state.value,
                at=t.at,
                reason=t.reason[:300],
                locations=",".join(t.locations_failing)[:200],
            )
        )
        return replace(t, id=inserted_id(result))

    def transitions(
        self, *, check_id: int = 0, target: str = "", since: float = 0.0, limit: int = 1000
    ) -> builtins.list[Transition]:
        """Transitions since a time, oldest first."""
        c = health_transitions.c
        query = sa.select(health_transitions).where(c.at >= since)
        if check_id:
            query = query.where(c.check_id == check_id)
        if target:
            query = query.where(c.target == target)
        return [_transition(r) for r in self._s.execute(query.order_by(c.at, c.id).limit(limit))]


StatusRow = tuple[int, str, int, HealthState, float, int, int, int, int, tuple[str, ...]]


class StatusRepository:
    """The state machine of each (check, target)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def load(self, check_ids: Iterable[int]) -> builtins.list[StatusRow]:
        """The stored states of these checks."""
        ids = list(check_ids)
        if not ids:
            return []
        rows = self._s.execute(sa.select(health_status).where(health_status.c.check_id.in_(ids)))
        return [
            (
                r.check_id, r.target, r.cluster_id, HealthState(r.state), r.since,
                r.fails, r.slows, r.bad, r.passes,
                tuple(x for x in r.failing_locations.split(",") if x),
            )
            for r in rows
        ]  # fmt: skip

    def save(self, rows: Sequence[StatusRow]) -> None:
        """Upsert states (delete then insert: portable across SQLite and MySQL)."""
        if not rows:
            return
        c = health_status.c
        keys = sa.tuple_(c.check_id, c.target).in_([(r[0], r[1]) for r in rows])
        self._s.execute(sa.delete(health_status).where(keys))
        self._s.execute(
            sa.insert(health_status),
            [
                {
                    "check_id": r[0], "target": r[1], "cluster_id": r[2], "state": r[3].value,
                    "since": r[4], "fails": r[5], "slows": r[6], "bad": r[7], "passes": r[8],
                    "failing_locations": ",".join(r[9])[:200],
                }
                for r in rows
            ],
        )  # fmt: skip
