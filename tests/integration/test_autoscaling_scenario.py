"""A traffic spike at a high time scale: the auto-scaler scales out within the policy's bounds,
back in after the stabilization window, and does not flap (asserted on the decision history)."""

from __future__ import annotations

import asyncio
import re

import pytest

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.api.v1 import scaling_pb2 as sc
from clustergenie_server.api.v1 import scaling_pb2_grpc, telemetry_pb2_grpc
from clustergenie_server.api.v1 import telemetry_pb2 as tel

from .conftest import StartApi

SPIKE_SECONDS = 450.0
WINDOW_DOWN = 300.0
SYNC = 15.0


@pytest.mark.slow
async def test_spike_scales_out_then_in_without_flapping(start_api: StartApi) -> None:
    # 100x: a sync period (15 simulated s) is 150 ms, the whole story ~15 s of wall time, with
    # room for a loaded machine (jobs and ticks still keep pace with the simulated clock).
    api = await start_api(time_scale=100.0)
    scaling = scaling_pb2_grpc.ScalingServiceStub(api.channel)
    telemetry = telemetry_pb2_grpc.TelemetryServiceStub(api.channel)
    created = await api.provisioning.CreateCluster(
        prov.CreateClusterRequest(
            name="shop", region="nyc1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
            droplet_count=3, tags=["rps:150", "traffic:flat"],
        )
    )  # fmt: skip
    await api.wait_jobs([j.id for j in created.jobs], timeout=60)
    cluster_id = created.cluster.id
    # The simulation sees droplets a refresh after they became active: wait until all serve.
    watch_metrics = telemetry.WatchMetrics(tel.WatchMetricsRequest(cluster_id=cluster_id))
    async with asyncio.timeout(30):
        async for update in watch_metrics:
            if any(s.serving_droplets == 3 for s in update.samples):
                break
    watch_metrics.cancel()
    # 150 req/s on three 1-vCPU droplets is ~52 % CPU: inside the policy's comfort zone.
    await scaling.SetPolicy(
        sc.SetPolicyRequest(
            policy=sc.ScalingPolicy(
                cluster_id=cluster_id, metric=sc.SCALING_METRIC_CPU, target=60,
                min_droplets=3, max_droplets=6, enabled=True,
                scale_up=sc.ScalingRules(rate_limits=[
                    sc.RateLimit(kind=sc.RATE_LIMIT_KIND_DROPLETS, value=1, period_seconds=30)
                ]),
            )
        )
    )  # fmt: skip
    decisions: list[sc.ScalingDecision] = []
    watch = scaling.WatchDecisions(sc.WatchDecisionsRequest(cluster_id=cluster_id))
    spike: tel.Fault | None = None
    async with asyncio.timeout(120):
        async for decided in watch:
            if not decided.HasField("decision"):
                continue
            decisions.append(decided.decision)
            if spike is None and len(decisions) >= 4:
                spike = await telemetry.InjectFault(
                    tel.InjectFaultRequest(
                        kind=tel.FAULT_KIND_TRAFFIC_SPIKE, cluster_id=cluster_id,
                        magnitude=3, duration_seconds=SPIKE_SECONDS,
                    )
                )  # fmt: skip
            downs = [d for d in decisions if d.action == sc.SCALING_ACTION_SCALE_DOWN]
            # Done once it is back at the minimum (the window may take it down in steps, as
            # it forgets the spike's recommendations) and stayed there for eight sync periods.
            back = downs and downs[-1].desired_droplets == 3
            if back and decisions[-1].time.seconds - downs[-1].time.seconds >= 8 * SYNC:
                break
    watch.cancel()
    assert spike is not None
    spike_start = spike.start_at.ToMicroseconds() / 1e6
    spike_end = spike_start + SPIKE_SECONDS

    def at(d: sc.ScalingDecision) -> float:
        return d.time.ToMicroseconds() / 1e6

    changes = [d for d in decisions if d.action != sc.SCALING_ACTION_NONE]
    story = "\n".join(
        f"{at(d) - spike_start:+7.0f}s {d.total_droplets}->{d.desired_droplets} "
        f"{sc.DecisionRule.Name(d.rule)}: {d.reason}"
        for d in decisions
    )
    # No flapping: every scale-up comes before every scale-down, each direction once.
    pattern = "".join("U" if d.action == sc.SCALING_ACTION_SCALE_UP else "D" for d in changes)
    assert re.fullmatch("U+D+", pattern), story
    ups = [d for d in changes if d.action == sc.SCALING_ACTION_SCALE_UP]
    downs = [d for d in changes if d.action == sc.SCALING_ACTION_SCALE_DOWN]
    # Nothing moved before the spike; out during it, within max and the rate limit.
    assert all(at(d) >= spike_start for d in changes), story
    assert all(d.desired_droplets <= 6 for d in decisions), story
    assert max(d.desired_droplets for d in ups) == 6, story
    assert all(d.desired_droplets - d.total_droplets == 1 for d in ups)
    assert all(at(b) - at(a) >= 30 for a, b in zip(ups, ups[1:], strict=False))
    assert any(d.rule == sc.DECISION_RULE_MAX for d in decisions)
    # In again only after the stabilization window past the spike, and down to the minimum.
    assert at(downs[0]) >= spike_end + WINDOW_DOWN - SYNC
    assert downs[-1].desired_droplets == 3
    held = [d for d in decisions if spike_end + SYNC < at(d) < at(downs[0])]
    assert held
    assert {d.rule for d in held} <= {sc.DECISION_RULE_STABILIZATION, sc.DECISION_RULE_BUSY}
    # Every decision says why, including those that changed nothing.
    assert all(d.reason for d in decisions)
    assert any(d.action == sc.SCALING_ACTION_NONE for d in decisions)
    listed = (
        await scaling.ListDecisions(sc.ListDecisionsRequest(cluster_id=cluster_id, limit=1000))
    ).decisions
    assert len(listed) >= len(decisions)
    [last_job] = await api.wait_jobs([downs[-1].job_id], timeout=60)  # drains, then destroys
    assert last_job.state == common.JOB_STATE_SUCCEEDED
    droplets = (
        await api.provisioning.ListDroplets(prov.ListDropletsRequest(cluster_id=cluster_id))
    ).droplets
    assert len(droplets) == 3
