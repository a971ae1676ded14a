"""TelemetryService and ScalingService over a real gRPC channel: inputs, faults, scaling jobs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import grpc
import pytest
from grpc import aio

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.api.v1 import scaling_pb2 as sc
from clustergenie_server.api.v1 import scaling_pb2_grpc, telemetry_pb2_grpc
from clustergenie_server.api.v1 import telemetry_pb2 as tel

from .conftest import Api, status_of

FLAT = ["rps:150", "traffic:flat"]


def telemetry(api: Api) -> telemetry_pb2_grpc.TelemetryServiceStub:
    """A TelemetryService stub on the test's channel."""
    return telemetry_pb2_grpc.TelemetryServiceStub(api.channel)


def scaling(api: Api) -> scaling_pb2_grpc.ScalingServiceStub:
    """A ScalingService stub on the test's channel."""
    return scaling_pb2_grpc.ScalingServiceStub(api.channel)


async def make_cluster(api: Api, name: str = "web", count: int = 2) -> prov.Cluster:
    """A cluster with flat traffic whose droplets are all active."""
    created = await api.provisioning.CreateCluster(
        prov.CreateClusterRequest(
            name=name, region="nyc1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
            droplet_count=count, tags=FLAT,
        )
    )  # fmt: skip
    await api.wait_jobs([j.id for j in created.jobs])
    return created.cluster


async def refused(call: Awaitable[object]) -> tuple[grpc.StatusCode, str]:
    """The status of a call that must fail."""
    with pytest.raises(aio.AioRpcError) as caught:
        await call
    return status_of(caught.value)


async def test_clock_reports_the_time_scale_and_tick(api: Api) -> None:
    clock = await telemetry(api).GetClock(tel.GetClockRequest())
    assert (clock.time_scale, clock.tick_seconds, clock.seed) == (80.0, 10.0, 7)
    assert clock.retention_seconds == 48 * 3600


async def test_query_series_downsamples_recent_samples(api: Api) -> None:
    cluster = await make_cluster(api)
    stub = telemetry(api)
    request = tel.QuerySeriesRequest(
        cluster_id=cluster.id,
        metrics=[tel.METRIC_OFFERED_RPS, tel.METRIC_SERVING_DROPLETS],
        window_seconds=600,
        step_seconds=60,
    )
    async with asyncio.timeout(20):
        while True:  # wait on the condition: two full buckets with both droplets serving
            series = (await stub.QuerySeries(request)).series
            if sum(1 for v in series[1].values if v == 2.0) >= 2:
                break
            await asyncio.sleep(0.05)
    offered, serving = series
    assert (offered.metric, offered.step_seconds) == (tel.METRIC_OFFERED_RPS, 60.0)
    assert all(t % 60 == 0 for t in offered.times)  # aligned buckets
    assert set(offered.values) == {150.0}
    assert all(
        lo <= v <= hi for v, lo, hi in zip(serving.values, serving.mins, serving.maxs, strict=True)
    )


@pytest.mark.parametrize(
    ("request_fields", "code", "words"),
    [
        ({"cluster_id": 0, "metrics": [1]}, grpc.StatusCode.INVALID_ARGUMENT, "positive"),
        ({"cluster_id": 999, "metrics": [1]}, grpc.StatusCode.NOT_FOUND, "cluster 999"),
        ({"cluster_id": -1}, grpc.StatusCode.INVALID_ARGUMENT, "cluster id"),
        ({"metrics": []}, grpc.StatusCode.INVALID_ARGUMENT, "at least one"),
        ({"metrics": [1], "window_seconds": 1e9}, grpc.StatusCode.INVALID_ARGUMENT, "retention"),
        ({"metrics": [1], "max_points": 20_000}, grpc.StatusCode.INVALID_ARGUMENT, "max_points"),
        ({"metrics": [1], "step_seconds": -5}, grpc.StatusCode.INVALID_ARGUMENT, "negative"),
        ({"metrics": [99]}, grpc.StatusCode.INVALID_ARGUMENT, "unknown metric"),
    ],
)
async def test_query_series_refuses_bad_input(
    api: Api, request_fields: dict[str, Any], code: grpc.StatusCode, words: str
) -> None:
    cluster = await make_cluster(api, count=0)
    fields: dict[str, Any] = {"cluster_id": cluster.id, **request_fields}
    got = await refused(telemetry(api).QuerySeries(tel.QuerySeriesRequest(**fields)))
    assert got[0] == code
    assert words in got[1]


async def test_cluster_only_metrics_need_the_aggregate(api: Api) -> None:
    cluster = await make_cluster(api, count=1)
    droplet = (
        await api.provisioning.ListDroplets(prov.ListDropletsRequest(cluster_id=cluster.id))
    ).droplets[0]
    code, details = await refused(
        telemetry(api).QuerySeries(
            tel.QuerySeriesRequest(
                cluster_id=cluster.id, droplet_id=droplet.id, metrics=[tel.METRIC_SERVING_DROPLETS]
            )
        )
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "droplet_id to 0" in details


async def test_a_cpu_hog_shows_in_the_live_watch_and_clears(api: Api) -> None:
    cluster = await make_cluster(api)
    droplets = (
        await api.provisioning.ListDroplets(prov.ListDropletsRequest(cluster_id=cluster.id))
    ).droplets
    stub = telemetry(api)
    fault = await stub.InjectFault(
        tel.InjectFaultRequest(
            kind=tel.FAULT_KIND_CPU_HOG, cluster_id=cluster.id, droplet_id=droplets[0].id
        )
    )
    assert (fault.state, fault.magnitude) == (tel.FAULT_STATE_ACTIVE, 0.8)
    assert fault.description.startswith("CPU hog (80%) on web-1")
    watch = stub.WatchMetrics(tel.WatchMetricsRequest(cluster_id=cluster.id, include_droplets=True))
    async with asyncio.timeout(20):
        async for update in watch:
            hot = [s for s in update.samples if s.droplet_id == droplets[0].id]
            if hot and hot[0].cpu_percent == 100.0:
                break
    watch.cancel()
    listed = (await stub.ListFaults(tel.ListFaultsRequest(cluster_id=cluster.id))).faults
    assert [f.id for f in listed] == [fault.id]
    cleared = await stub.ClearFault(tel.ClearFaultRequest(id=fault.id))
    assert cleared.state == tel.FAULT_STATE_CLEARED
    assert not (await stub.ListFaults(tel.ListFaultsRequest(cluster_id=cluster.id))).faults
    code, details = await refused(stub.ClearFault(tel.ClearFaultRequest(id=fault.id)))
    assert (code, "ended already" in details) == (grpc.StatusCode.FAILED_PRECONDITION, True)


async def test_one_watch_streams_every_clusters_aggregate(api: Api) -> None:
    web = await make_cluster(api, "web")
    stub = telemetry(api)
    watch = stub.WatchMetrics(tel.WatchMetricsRequest(backfill_seconds=600))
    seen: set[int] = set()
    async with asyncio.timeout(20):
        async for update in watch:  # the backfill (the cluster may be too new for it), its end
            if update.backfill_complete:
                break
            seen |= {s.cluster_id for s in update.samples}
        async for update in watch:  # live ticks
            assert {s.droplet_id for s in update.samples} == {0}, "aggregates only"
            assert not update.backfill_complete
            seen |= {s.cluster_id for s in update.samples}
            if web.id in seen:
                break
        # A cluster created while the stream is open joins it.
        db = await make_cluster(api, "db", count=1)
        async for update in watch:
            seen |= {s.cluster_id for s in update.samples}
            if db.id in seen:
                break
    watch.cancel()
    assert {web.id, db.id} <= seen


@pytest.mark.parametrize("request_fields", [{"include_droplets": True}, {"droplet_id": 1}])
async def test_every_clusters_watch_refuses_droplets(
    api: Api, request_fields: dict[str, Any]
) -> None:
    watch = telemetry(api).WatchMetrics(tel.WatchMetricsRequest(**request_fields))
    code, details = await refused(watch.read())
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "give their cluster's id" in details


@pytest.mark.parametrize(
    ("request_fields", "code", "words"),
    [
        ({}, grpc.StatusCode.INVALID_ARGUMENT, "fault kind is missing"),
        (
            {"kind": tel.FAULT_KIND_TRAFFIC_SPIKE, "droplet_id": 1},
            grpc.StatusCode.INVALID_ARGUMENT,
            "whole cluster",
        ),
        (
            {"kind": tel.FAULT_KIND_CPU_HOG, "magnitude": 3},
            grpc.StatusCode.INVALID_ARGUMENT,
            "between 0.01 and 1",
        ),
        (
            {"kind": tel.FAULT_KIND_CPU_HOG, "droplet_id": 9999},
            grpc.StatusCode.NOT_FOUND,
            "droplet 9999",
        ),
        (
            {"kind": tel.FAULT_KIND_CPU_HOG, "cluster_id": 9999},
            grpc.StatusCode.NOT_FOUND,
            "cluster 9999",
        ),
        (
            {"kind": tel.FAULT_KIND_CPU_HOG, "duration_seconds": -1},
            grpc.StatusCode.INVALID_ARGUMENT,
            "duration",
        ),
    ],
)
async def test_inject_fault_refuses_bad_input(
    api: Api, request_fields: dict[str, Any], code: grpc.StatusCode, words: str
) -> None:
    cluster = await make_cluster(api, count=0)
    fields: dict[str, Any] = {"cluster_id": cluster.id, **request_fields}
    got = await refused(telemetry(api).InjectFault(tel.InjectFaultRequest(**fields)))
    assert got[0] == code
    assert words in got[1]


async def test_clear_unknown_fault_is_not_found(api: Api) -> None:
    code, details = await refused(telemetry(api).ClearFault(tel.ClearFaultRequest(id=4242)))
    assert (code, details) == (grpc.StatusCode.NOT_FOUND, "fault 4242 does not exist")


def policy(cluster_id: int, **overrides: Any) -> sc.ScalingPolicy:
    """A CPU policy with Kubernetes defaults."""
    fields: dict[str, Any] = {
        "cluster_id": cluster_id, "metric": sc.SCALING_METRIC_CPU, "target": 60,
        "min_droplets": 1, "max_droplets": 5, "enabled": True,
    }  # fmt: skip
    fields.update(overrides)
    return sc.ScalingPolicy(**fields)


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"metric": sc.SCALING_METRIC_UNSPECIFIED}, "policy.metric is missing"),
        ({"target": 0}, "policy.target must be greater than 0"),
        ({"target": 150}, "CPU percent"),
        ({"min_droplets": 0}, "min_droplets must be at least 1"),
        ({"min_droplets": 4, "max_droplets": 2}, "max_droplets 2 must be between min_droplets (4)"),
        ({"tolerance": 2.0}, "policy.tolerance 2 is out of range"),
        (
            {"scale_down": sc.ScalingRules(stabilization_window_seconds=-1)},
            "scale_down.stabilization",
        ),
        (
            {
                "scale_up": sc.ScalingRules(
                    rate_limits=[
                        sc.RateLimit(kind=sc.RATE_LIMIT_KIND_DROPLETS, value=0, period_seconds=15)
                    ]
                )
            },
            "scale_up.rate_limits[0].value",
        ),
        (
            {"schedules": [sc.ScheduledMinimum(min_droplets=2, start_hour=9, end_hour=30)]},
            "schedules[0]",
        ),
        (
            {
                "schedules": [
                    sc.ScheduledMinimum(min_droplets=2, start_hour=9, end_hour=17, weekdays=[8])
                ]
            },
            "ISO weekdays",
        ),
    ],
)
async def test_set_policy_says_what_is_wrong(
    api: Api, overrides: dict[str, object], words: str
) -> None:
    cluster = await make_cluster(api, count=0)
    code, details = await refused(
        scaling(api).SetPolicy(sc.SetPolicyRequest(policy=policy(cluster.id, **overrides)))
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert words in details


async def test_policies_are_set_read_and_deleted(api: Api) -> None:
    cluster = await make_cluster(api, count=0)
    stub = scaling(api)
    code, details = await refused(stub.GetPolicy(sc.GetPolicyRequest(cluster_id=cluster.id)))
    assert (code, "no scaling policy" in details) == (grpc.StatusCode.NOT_FOUND, True)
    code, _ = await refused(stub.SetPolicy(sc.SetPolicyRequest(policy=policy(9999))))
    assert code == grpc.StatusCode.NOT_FOUND
    code, _ = await refused(stub.SetPolicy(sc.SetPolicyRequest()))
    assert code == grpc.StatusCode.INVALID_ARGUMENT

    stored = await stub.SetPolicy(sc.SetPolicyRequest(policy=policy(cluster.id, enabled=False)))
    assert stored.tolerance == pytest.approx(0.1)
    assert (stored.scale_down.stabilization_window_seconds, len(stored.scale_up.rate_limits)) == (
        300,
        2,
    )
    assert (await stub.GetPolicy(sc.GetPolicyRequest(cluster_id=cluster.id))) == stored
    assert [p.cluster_id for p in (await stub.ListPolicies(sc.ListPoliciesRequest())).policies] == [
        cluster.id
    ]
    await stub.DeletePolicy(sc.DeletePolicyRequest(cluster_id=cluster.id))
    code, _ = await refused(stub.DeletePolicy(sc.DeletePolicyRequest(cluster_id=cluster.id)))
    assert code == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize(
    ("cluster_id", "target", "code", "words"),
    [
        (None, 0, grpc.StatusCode.INVALID_ARGUMENT, "target_count 0 is out of range"),
        (None, 5000, grpc.StatusCode.INVALID_ARGUMENT, "target_count 5000"),
        (9999, 2, grpc.StatusCode.NOT_FOUND, "cluster 9999 does not exist"),
        (0, 2, grpc.StatusCode.INVALID_ARGUMENT, "cluster id"),
    ],
)
async def test_scale_cluster_refuses_bad_input(
    api: Api, cluster_id: int | None, target: int, code: grpc.StatusCode, words: str
) -> None:
    cluster = await make_cluster(api, count=0)
    request = sc.ScaleClusterRequest(
        cluster_id=cluster.id if cluster_id is None else cluster_id, target_count=target
    )
    got = await refused(scaling(api).ScaleCluster(request))
    assert got[0] == code
    assert words in got[1]


async def test_list_decisions_limits(api: Api) -> None:
    code, details = await refused(scaling(api).ListDecisions(sc.ListDecisionsRequest(limit=5000)))
    assert (code, "limit 5000" in details) == (grpc.StatusCode.INVALID_ARGUMENT, True)


async def test_scale_cluster_out_and_in_keeps_a_healthy_droplet(api: Api) -> None:
    cluster = await make_cluster(api, count=2)
    stub = scaling(api)
    out = (
        await stub.ScaleCluster(sc.ScaleClusterRequest(cluster_id=cluster.id, target_count=4))
    ).job
    assert out.kind == common.JOB_KIND_SCALE_CLUSTER
    assert [j.state for j in await api.wait_jobs([out.id])] == [common.JOB_STATE_SUCCEEDED]
    listed = prov.ListDropletsRequest(cluster_id=cluster.id)
    droplets = (await api.provisioning.ListDroplets(listed)).droplets
    assert [d.status for d in droplets] == [common.DROPLET_STATUS_ACTIVE] * 4

    down = (
        await stub.ScaleCluster(sc.ScaleClusterRequest(cluster_id=cluster.id, target_count=1))
    ).job
    assert [j.state for j in await api.wait_jobs([down.id])] == [common.JOB_STATE_SUCCEEDED]
    left = (await api.provisioning.ListDroplets(listed)).droplets
    # The oldest droplet stays; the newest were drained and destroyed.
    assert [(d.name, d.status) for d in left] == [("web-1", common.DROPLET_STATUS_ACTIVE)]
