"""The auto-scaler: every sync period, evaluate each enabled policy with the HPA rule and act.

Its memory (recent recommendations and scale events, for stabilization windows and rate limits)
is the decision table itself, so a restarted or newly leading server continues where the last
one stopped. Only the leader (the server that simulates) runs it: one controller per cluster.
"""

from __future__ import annotations

import asyncio
import logging
import math

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.errors import DomainError
from clustergenie_server.domain.events import Event, ScalingDecided
from clustergenie_server.domain.scaling import (
    DecisionRule,
    ScalingAction,
    ScalingDecision,
    ScalingMetric,
    ScalingPolicy,
)
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.scaling.hpa import HpaInput, HpaResult, TimedCount, decide
from clustergenie_server.services.scaling.scaling_service import ScalingService
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner
from clustergenie_server.settings import ScalingSettings
from clustergenie_server.simulation.clock import as_datetime

log = logging.getLogger(__name__)

METRIC_OF = {
    ScalingMetric.CPU: Metric.CPU_PERCENT,
    ScalingMetric.REQUESTS_PER_DROPLET: Metric.REQUESTS_PER_DROPLET,
    ScalingMetric.P95_LATENCY: Metric.LATENCY_P95_MS,
}


class ScalingController:
    """Evaluates every enabled policy once per sync period (simulated)."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        runner: TelemetryRunner,
        scaling: ScalingService,
        settings: ScalingSettings,
    ) -> None:
        self._db, self._outbox, self._runner = db, outbox, runner
        self._scaling, self._settings = scaling, settings
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the loop."""
        self._task = asyncio.create_task(self._loop(), name="scaling-controller")

    async def stop(self) -> None:
        """Stop the loop."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _loop(self) -> None:
        clock, period = self._runner.clock, self._settings.sync_period_seconds
        t = math.floor(clock.now() / period) * period + period
        while True:
            await clock.sleep_until(t)
            if self._runner.leadership.is_leader:
                try:
                    await self.evaluate_all(t)
                except Exception:  # one bad evaluation must not end auto-scaling
                    log.exception("auto-scaling evaluation failed")
            t = max(t + period, math.floor(clock.now() / period) * period)

    async def evaluate_all(self, now: float) -> list[ScalingDecision]:
        """Evaluate every enabled policy at simulated time now."""
        policies = await self._scaling.list_policies()
        out = []
        for policy in policies:
            if policy.enabled:
                out.append(await self.evaluate(policy, now))
        return out

    async def evaluate(self, policy: ScalingPolicy, now: float) -> ScalingDecision:
        """One decision for one cluster: record it, act on it, announce it."""
        total, busy = await self._scaling.counts(policy.cluster_id)
        value, ready = self._metric(policy, now)
        lookback = max(
            policy.scale_up.stabilization_window_seconds,
            policy.scale_down.stabilization_window_seconds,
            *(r.period_seconds for r in policy.scale_up.rate_limits),
            *(r.period_seconds for r in policy.scale_down.rate_limits),
        )
        since = as_datetime(now - lookback - 1.0)
        history = await self._db.read(
            lambda s: ScalingRepository(s).history(policy.cluster_id, since)
        )
        result = decide(
            HpaInput(
                now=now,
                metric_value=value,
                target=policy.target,
                ready=ready,
                current=total,
                min_replicas=policy.min_droplets,
                max_replicas=policy.max_droplets,
                tolerance=policy.tolerance,
                scale_up=policy.scale_up,
                scale_down=policy.scale_down,
                recommendations=[
                    TimedCount(d.time.timestamp(), d.recommended_droplets)
                    for d, evaluated in history
                    if evaluated
                ],
                scale_up_events=_events(history, ScalingAction.SCALE_UP),
                scale_down_events=_events(history, ScalingAction.SCALE_DOWN),
                scheduled_min=policy.scheduled_minimum(as_datetime(now)),
            )
        )
        return await self._act(policy, now, value, ready, total, busy, result)

    def _metric(self, policy: ScalingPolicy, now: float) -> tuple[float | None, int]:
        """The mean of the cluster's metric over the last sync period, and its ready count."""
        metric = METRIC_OF[policy.metric]
        since = now - max(self._settings.sync_period_seconds, 2 * self._runner.engine.tick_seconds)
        times, values = self._runner.hot.read(
            policy.cluster_id, 0, [metric, Metric.SERVING_DROPLETS], since, now + 1e-6
        )
        if len(times) == 0:
            return None, 0
        # Only the samples taken at today's capacity: a mean across a change in serving
        # droplets would blend two loads and ask for a count that neither of them needs.
        ready = values[-1, 1]
        current = values[values[:, 1] == ready, 0]
        return float(np.mean(current)), int(ready)

    async def _act(
        self,
        policy: ScalingPolicy,
        now: float,
        value: float | None,
        ready: int,
        total: int,
        busy: bool,
        r: HpaResult,
    ) -> ScalingDecision:
        desired, rule, reason, job_id = r.desired, r.rule, r.reason, None
        if desired != total and busy:
            desired, rule = total, DecisionRule.BUSY
            reason = f"{reason}; a scale job is still running, so the count stays for now"
        elif desired != total:
            try:
                job = await self._scaling.scale_cluster(policy.cluster_id, desired, origin="auto")
                job_id = job.id
            except DomainError as exc:
                desired, rule, reason = total, DecisionRule.BUSY, f"{reason}; not scaled: {exc}"
        action = (
            ScalingAction.SCALE_UP
            if desired > total
            else ScalingAction.SCALE_DOWN
            if desired < total
            else ScalingAction.NONE
        )
        decision = ScalingDecision(
            id=0,
            cluster_id=policy.cluster_id,
            time=as_datetime(now),
            metric=policy.metric,
            metric_value=value if value is not None else 0.0,
            target=policy.target,
            current_droplets=ready,
            total_droplets=total,
            formula_droplets=r.formula,
            recommended_droplets=r.recommendation,
            stabilized_droplets=r.stabilized,
            desired_droplets=desired,
            action=action,
            rule=rule,
            reason=reason,
            job_id=job_id,
        )

        def record(s: Session) -> tuple[ScalingDecision, list[Event]]:
            stored = ScalingRepository(s).add_decision(decision, evaluated=r.record_recommendation)
            return stored, [ScalingDecided(stored)]

        return await self._outbox.commit(record)


def _events(history: list[tuple[ScalingDecision, bool]], action: ScalingAction) -> list[TimedCount]:
    """Scale events (the size of each change) of one direction, for the rate limits."""
    return [
        TimedCount(d.time.timestamp(), abs(d.desired_droplets - d.total_droplets))
        for d, _ in history
        if d.action is action
    ]
