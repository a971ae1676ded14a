"""HealthCheckService over a real channel: validation at the edge, and a crash-loop scenario."""

from __future__ import annotations

import asyncio

import grpc
import pytest

from clustergenie_server.api.v1 import health_pb2 as hp
from clustergenie_server.api.v1 import health_pb2_grpc
from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.api.v1 import telemetry_pb2 as tel
from clustergenie_server.domain.telemetry import FaultKind

from .conftest import Api
from .test_telemetry_rpc import make_cluster, refused, telemetry


def health(api: Api) -> health_pb2_grpc.HealthCheckServiceStub:
    """A HealthCheckService stub on the test's channel."""
    return health_pb2_grpc.HealthCheckServiceStub(api.channel)


def http_check(cluster_id: int, **fields: object) -> hp.HealthCheck:
    """A paused HTTP check on every droplet of a cluster (rounds only run when asked)."""
    values: dict[str, object] = {
        "name": "web-http", "kind": hp.CHECK_KIND_HTTP, "target_kind": hp.TARGET_KIND_CLUSTER,
        "target_id": cluster_id, "interval_seconds": 10, "timeout_seconds": 2,
        "conditions": "[STATUS] == 200 && [RESPONSE_TIME] < 300",
        "failure_threshold": 3, "success_threshold": 2, "paused": True,
    }  # fmt: skip
    values.update(fields)
    return hp.HealthCheck(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"interval_seconds": 0.5}, "interval_seconds: 0.5 is out of range"),
        ({"timeout_seconds": 10}, "timeout_seconds: 10 s must be above 0 and shorter than"),
        ({"conditions": "[STATUS] == 200 && [LATENCY] < 3"}, "unknown placeholder [LATENCY]"),
        ({"conditions": "[STATUS] 200"}, "(column 10)"),
        ({"quorum": 2}, "quorum: 2 is more than the 1 location(s)"),
        ({"target_id": 9999}, "cluster 9999 does not exist"),
        ({"locations": ["mars1"]}, "locations: mars1 not a region"),
        (
            {"target_kind": hp.TARGET_KIND_ADDRESS, "address": "http//nohost"},
            "address: 'http//nohost' is not an http:// or https:// URL",
        ),
    ],
)
async def test_bad_definitions_name_the_field_and_the_fix(
    api: Api, fields: dict[str, object], expected: str
) -> None:
    cluster = await make_cluster(api, count=1)
    check = http_check(cluster.id, **fields)
    code, details = await refused(health(api).CreateCheck(hp.CreateCheckRequest(check=check)))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert expected in details


async def test_validate_conditions_reports_the_column(api: Api) -> None:
    reply = await health(api).ValidateConditions(
        hp.ValidateConditionsRequest(conditions="[STATUS] == 200 && [BODY] ~ ok")
    )
    assert (reply.valid, reply.column) == (False, 27)
    assert "expected an operator" in reply.error


async def _wait_fault_applied(api: Api, present: bool) -> None:
    """The simulation has (or no longer has) an acting crash loop: a condition, not a sleep."""
    runner = api.app.telemetry.runner  # type: ignore[union-attr]
    async with asyncio.timeout(10):
        # The runner re-reads faults soon after the event; it has no signal to wait on.
        while any(f.kind is FaultKind.CRASH_LOOP for f in runner.engine.faults) != present:  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_a_crash_loop_turns_a_droplet_unhealthy_then_healthy(api: Api) -> None:
    cluster = await make_cluster(api, count=2)
    droplets = (
        await api.provisioning.ListDroplets(prov.ListDropletsRequest(cluster_id=cluster.id))
    ).droplets
    stub = health(api)
    check = await stub.CreateCheck(
        hp.CreateCheckRequest(check=http_check(cluster.id, locations=["nyc1", "sfo3"], quorum=2))
    )
    sick = f"droplet:{droplets[0].id}"

    async def rounds(n: int) -> list[hp.HealthState.ValueType]:
        states: list[hp.HealthState.ValueType] = []
        for _ in range(n):
            await stub.RunCheck(hp.RunCheckRequest(check_id=check.id))
            status = await stub.GetStatus(hp.GetStatusRequest())
            states.append(next(s.state for s in status.targets if s.target_key == sick))
        return states

    assert await rounds(2) == [hp.HEALTH_STATE_UNKNOWN, hp.HEALTH_STATE_HEALTHY]
    fault = await telemetry(api).InjectFault(
        tel.InjectFaultRequest(
            kind=tel.FAULT_KIND_CRASH_LOOP, cluster_id=cluster.id, droplet_id=droplets[0].id
        )
    )
    await _wait_fault_applied(api, True)
    h, u = hp.HEALTH_STATE_HEALTHY, hp.HEALTH_STATE_UNHEALTHY
    assert await rounds(4) == [h, h, u, u]  # exactly after the failure threshold (3)
    # The four rounds under the fault, two locations each. The check's timeout is simulated
    # time (short on the wall clock at this time scale), so on a loaded machine a probe may
    # time out before its refusal arrives and read as slow: not every result is a refusal, but
    # each location saw the droplet fail, and the refusal is named. (CI once saw the last round
    # not all FAIL; the message below says what each result was.)
    results = (await stub.ListResults(hp.ListResultsRequest(target_key=sick, limit=8))).results
    failed = {r.location for r in results if r.outcome == hp.OUTCOME_FAIL}
    assert failed == {"nyc1", "sfo3"}, [
        (r.location, hp.Outcome.Name(r.outcome), r.reason, r.error) for r in results
    ]
    assert any("crash-looping" in f"{r.reason} {r.error}" for r in results)
    alerts = (await stub.ListAlerts(hp.ListAlertsRequest(open_only=True))).alerts
    assert len(alerts) == 1  # one alert, not one per location
    assert list(alerts[0].members) == [sick]

    await telemetry(api).ClearFault(tel.ClearFaultRequest(id=fault.id))
    await _wait_fault_applied(api, False)
    assert await rounds(2) == [u, h]  # after the success threshold (2)
    assert not (await stub.ListAlerts(hp.ListAlertsRequest(open_only=True))).alerts
    transitions = (
        await stub.ListTransitions(hp.ListTransitionsRequest(target_key=sick))
    ).transitions
    assert [(t.from_state, t.to_state) for t in transitions] == [
        (hp.HEALTH_STATE_UNKNOWN, h), (h, u), (u, h),
    ]  # fmt: skip
    uptime = await stub.GetUptime(hp.GetUptimeRequest(check_id=check.id, target_key=sick))
    assert uptime.windows[0].HasField("uptime_percent")
    assert 0.0 < uptime.windows[0].uptime_percent < 100.0
    assert uptime.failures  # the crash loop's span, shaded in the GUI


async def test_watch_health_streams_the_snapshot_then_results_and_transitions(api: Api) -> None:
    cluster = await make_cluster(api, count=1)
    stub = health(api)
    check = await stub.CreateCheck(hp.CreateCheckRequest(check=http_check(cluster.id)))
    watch = stub.WatchHealth(hp.WatchHealthRequest())
    seen: list[str] = []
    async with asyncio.timeout(20):
        async for update in watch:
            kind = update.WhichOneof("update")
            seen.append(kind or "")
            if kind == "status":
                assert update.status.state == hp.HEALTH_STATE_UNKNOWN
            if kind == "snapshot_complete":  # two passes: the success threshold
                for _ in range(2):
                    await stub.RunCheck(hp.RunCheckRequest(check_id=check.id))
            if kind == "transition":
                assert update.transition.to_state == hp.HEALTH_STATE_HEALTHY
                break
    watch.cancel()
    assert seen[:2] == ["status", "snapshot_complete"]
    assert "result" in seen
