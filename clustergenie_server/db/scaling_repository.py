"""Scaling policies (a JSON document per cluster), decisions, and droplets being drained."""

from __future__ import annotations

import builtins
import json
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.models import as_utc
from clustergenie_server.db.telemetry_models import (
    DropletDrainRow,
    ScalingDecisionRow,
    ScalingPolicyRow,
)
from clustergenie_server.domain.scaling import (
    DecisionRule,
    RateLimit,
    RateLimitKind,
    ScalingAction,
    ScalingDecision,
    ScalingMetric,
    ScalingPolicy,
    ScalingRules,
    ScheduledMinimum,
    SelectPolicy,
)

_BODY_FIELDS = ("metric", "target", "min_droplets", "max_droplets", "tolerance")


def encode_policy(p: ScalingPolicy) -> str:
    """The policy's rules as JSON (cluster, enabled and times have their own columns)."""
    body: dict[str, Any] = {name: getattr(p, name) for name in _BODY_FIELDS}
    body["scale_up"], body["scale_down"] = asdict(p.scale_up), asdict(p.scale_down)
    body["schedules"] = [asdict(s) for s in p.schedules]
    return json.dumps(body, sort_keys=True)


def _rules(raw: dict[str, Any]) -> ScalingRules:
    return ScalingRules(
        stabilization_window_seconds=float(raw["stabilization_window_seconds"]),
        select_policy=SelectPolicy(raw["select_policy"]),
        rate_limits=tuple(
            RateLimit(RateLimitKind(r["kind"]), int(r["value"]), float(r["period_seconds"]))
            for r in raw["rate_limits"]
        ),
    )


def _policy(row: ScalingPolicyRow) -> ScalingPolicy:
    body = json.loads(row.body)
    return ScalingPolicy(
        cluster_id=row.cluster_id,
        metric=ScalingMetric(body["metric"]),
        target=float(body["target"]),
        min_droplets=int(body["min_droplets"]),
        max_droplets=int(body["max_droplets"]),
        tolerance=float(body["tolerance"]),
        scale_up=_rules(body["scale_up"]),
        scale_down=_rules(body["scale_down"]),
        schedules=tuple(
            ScheduledMinimum(
                int(s["min_droplets"]),
                int(s["start_hour"]),
                int(s["end_hour"]),
                tuple(s["weekdays"]),
            )
            for s in body["schedules"]
        ),  # fmt: skip
        enabled=row.enabled,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def _decision(row: ScalingDecisionRow) -> ScalingDecision:
    return ScalingDecision(
        id=row.id,
        cluster_id=row.cluster_id,
        time=as_utc(row.time),
        metric=ScalingMetric(row.metric),
        metric_value=row.metric_value,
        target=row.target,
        current_droplets=row.current_droplets,
        total_droplets=row.total_droplets,
        formula_droplets=row.formula_droplets,
        recommended_droplets=row.recommended_droplets,
        stabilized_droplets=row.stabilized_droplets,
        desired_droplets=row.desired_droplets,
        action=ScalingAction(row.action),
        rule=DecisionRule(row.rule),
        reason=row.reason,
        job_id=row.job_id,
    )


class ScalingRepository:
    """Policy, decision and drain rows of one unit of work; never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- policies ------------------------------------------------------------------------------

    def get_policy(self, cluster_id: int) -> ScalingPolicy | None:
        """The cluster's policy, or None."""
        row = self._session.get(ScalingPolicyRow, cluster_id)
        return None if row is None else _policy(row)

    def list_policies(self) -> builtins.list[ScalingPolicy]:
        """Every policy, by cluster id."""
        rows = self._session.scalars(
            sa.select(ScalingPolicyRow).order_by(ScalingPolicyRow.cluster_id)
        )
        return [_policy(r) for r in rows]

    def put_policy(self, policy: ScalingPolicy, now: datetime) -> ScalingPolicy:
        """Create or replace the cluster's policy."""
        row = self._session.get(ScalingPolicyRow, policy.cluster_id)
        if row is None:
            row = ScalingPolicyRow(cluster_id=policy.cluster_id, created_at=now)
            self._session.add(row)
        row.body, row.enabled, row.updated_at = encode_policy(policy), policy.enabled, now
        self._session.flush()
        return replace(policy, created_at=as_utc(row.created_at), updated_at=now)

    def delete_policy(self, cluster_id: int) -> bool:
        """Delete the cluster's policy; False when it had none."""
        row = self._session.get(ScalingPolicyRow, cluster_id)
        if row is None:
            return False
        self._session.delete(row)
        return True

    # -- decisions -----------------------------------------------------------------------------

    def add_decision(self, d: ScalingDecision, *, evaluated: bool) -> ScalingDecision:
        """Record a decision; `evaluated` says whether the window remembers its recommendation."""
        row = ScalingDecisionRow(
            cluster_id=d.cluster_id,
            time=d.time,
            metric=d.metric.value,
            metric_value=d.metric_value,
            target=d.target,
            current_droplets=d.current_droplets,
            total_droplets=d.total_droplets,
            formula_droplets=d.formula_droplets,
            recommended_droplets=d.recommended_droplets,
            stabilized_droplets=d.stabilized_droplets,
            desired_droplets=d.desired_droplets,
            action=d.action.value,
            rule=d.rule.value,
            evaluated=evaluated,
            reason=d.reason[:500],
            job_id=d.job_id,
        )
        self._session.add(row)
        self._session.flush()
        return _decision(row)

    def list_decisions(
        self, *, cluster_id: int | None = None, limit: int = 200, changes_only: bool = False
    ) -> builtins.list[ScalingDecision]:
        """Decisions, newest first."""
        query = sa.select(ScalingDecisionRow).order_by(ScalingDecisionRow.id.desc()).limit(limit)
        if cluster_id is not None:
            query = query.where(ScalingDecisionRow.cluster_id == cluster_id)
        if changes_only:
            query = query.where(ScalingDecisionRow.action != ScalingAction.NONE.value)
        return [_decision(r) for r in self._session.scalars(query)]

    def history(
        self, cluster_id: int, since: datetime
    ) -> builtins.list[tuple[ScalingDecision, bool]]:
        """(decision, evaluated) of one cluster since a time, oldest first: the HPA's memory."""
        rows = self._session.scalars(
            sa.select(ScalingDecisionRow)
            .where(ScalingDecisionRow.cluster_id == cluster_id, ScalingDecisionRow.time > since)
            .order_by(ScalingDecisionRow.time, ScalingDecisionRow.id)
        )
        return [(_decision(r), r.evaluated) for r in rows]

    # -- drains --------------------------------------------------------------------------------

    def drain(self, droplet_id: int, cluster_id: int, now: datetime) -> None:
        """Mark a droplet as draining (idempotent)."""
        if self._session.get(DropletDrainRow, droplet_id) is None:
            self._session.add(
                DropletDrainRow(droplet_id=droplet_id, cluster_id=cluster_id, started_at=now)
            )
            self._session.flush()

    def undrain(self, droplet_ids: builtins.list[int]) -> None:
        """Forget drains (after the droplets were destroyed, or the scale-down was cancelled)."""
        if droplet_ids:
            self._session.execute(
                sa.delete(DropletDrainRow).where(DropletDrainRow.droplet_id.in_(droplet_ids))
            )

    def draining(self, cluster_id: int | None = None) -> set[int]:
        """Ids of droplets being drained."""
        query = sa.select(DropletDrainRow.droplet_id)
        if cluster_id is not None:
            query = query.where(DropletDrainRow.cluster_id == cluster_id)
        return set(self._session.scalars(query))
