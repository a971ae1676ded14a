"""Probe locations, alerts that do not storm, webhooks, maintenance and auto-heal, end to end."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from clustergenie_server.api.v1 import auth_pb2, auth_pb2_grpc, jobs_pb2
from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import health_pb2 as hp
from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.api.v1 import telemetry_pb2 as tel
from clustergenie_server.services.health.auto_heal import AUTO_HEAL_METHOD

from .conftest import Api
from .test_health_rpc import _wait_fault_applied, health, http_check
from .test_telemetry_rpc import make_cluster, telemetry


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    """A webhook receiver on 127.0.0.1 that accepts every POST; yields (url, bodies)."""
    bodies: list[dict[str, object]] = []

    async def hook(request: web.Request) -> web.Response:
        bodies.append(await request.json())
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/hook", bodies
    await runner.cleanup()


async def _droplets(api: Api, cluster_id: int) -> list[prov.Droplet]:
    request = prov.ListDropletsRequest(cluster_id=cluster_id)
    return list((await api.provisioning.ListDroplets(request)).droplets)


async def _rounds(api: Api, check_id: int, n: int) -> None:
    for _ in range(n):
        await health(api).RunCheck(hp.RunCheckRequest(check_id=check_id))


async def test_a_far_location_failing_alone_is_shown_but_not_counted(api: Api) -> None:
    cluster = await make_cluster(api, count=1)
    # From Singapore a New York droplet answers in ~265 ms: over the 200 ms condition.
    check = http_check(
        cluster.id, conditions="[RESPONSE_TIME] < 200", locations=["nyc1", "sgp1"], quorum=2
    )
    created = await health(api).CreateCheck(hp.CreateCheckRequest(check=check))
    await _rounds(api, created.id, 3)
    (status,) = (await health(api).GetStatus(hp.GetStatusRequest())).targets
    assert status.state == hp.HEALTH_STATE_HEALTHY
    assert list(status.failing_locations) == ["sgp1"]
    results = (await health(api).ListResults(hp.ListResultsRequest(limit=2))).results
    slow = next(r for r in results if r.location == "sgp1")
    assert slow.outcome == hp.OUTCOME_SLOW
    assert slow.failed_condition == "[RESPONSE_TIME] < 200"


async def test_a_cluster_outage_is_one_alert_and_one_webhook_each_way(
    api: Api, receiver: tuple[str, list[dict[str, object]]]
) -> None:
    url, bodies = receiver
    stub = health(api)
    await stub.CreateChannel(
        hp.CreateChannelRequest(
            channel=hp.NotificationChannel(name="ops", kind=hp.CHANNEL_KIND_WEBHOOK, url=url)
        )
    )
    cluster = await make_cluster(api, count=3)
    created = await stub.CreateCheck(hp.CreateCheckRequest(check=http_check(cluster.id)))
    await _rounds(api, created.id, 1)
    fault = await telemetry(api).InjectFault(
        tel.InjectFaultRequest(kind=tel.FAULT_KIND_CRASH_LOOP, cluster_id=cluster.id)
    )
    await _wait_fault_applied(api, True)
    await _rounds(api, created.id, 4)
    await api.app.health_checks.service.settle()  # type: ignore[union-attr]
    (alert,) = (await stub.ListAlerts(hp.ListAlertsRequest(open_only=True))).alerts
    assert len(alert.members) == 3
    assert alert.subject == "web-http: 3 of 3 droplets unhealthy"
    assert [b["notice"] for b in bodies] == ["opened"]
    assert len(bodies[0]["members"]) == 3  # type: ignore[arg-type]

    await telemetry(api).ClearFault(tel.ClearFaultRequest(id=fault.id))
    await _wait_fault_applied(api, False)
    await _rounds(api, created.id, 2)
    await api.app.health_checks.service.settle()  # type: ignore[union-attr]
    assert [b["notice"] for b in bodies] == ["opened", "resolved"]
    log = (await stub.ListDeliveries(hp.ListDeliveriesRequest(alert_id=alert.id))).deliveries
    assert sorted((d.event, d.delivered, d.attempts) for d in log) == [
        ("opened", True, 1), ("resolved", True, 1),
    ]  # fmt: skip


async def test_a_maintenance_window_silences_alerts_and_uptime(api: Api) -> None:
    stub = health(api)
    cluster = await make_cluster(api, count=1)
    (droplet,) = await _droplets(api, cluster.id)
    window = hp.MaintenanceWindow(
        cluster_id=cluster.id, start=time.time() - 60, duration_seconds=3600,
        recurrence=hp.RECURRENCE_ONCE, description="kernel upgrade",
    )  # fmt: skip
    await stub.CreateMaintenance(hp.CreateMaintenanceRequest(window=window))
    created = await stub.CreateCheck(hp.CreateCheckRequest(check=http_check(cluster.id)))
    await telemetry(api).InjectFault(
        tel.InjectFaultRequest(
            kind=tel.FAULT_KIND_CRASH_LOOP, cluster_id=cluster.id, droplet_id=droplet.id
        )
    )
    await _wait_fault_applied(api, True)
    await _rounds(api, created.id, 4)
    target = f"droplet:{droplet.id}"
    transitions = (
        await stub.ListTransitions(hp.ListTransitionsRequest(target_key=target))
    ).transitions
    assert [t.to_state for t in transitions] == [hp.HEALTH_STATE_UNHEALTHY]  # still recorded
    assert not (await stub.ListAlerts(hp.ListAlertsRequest())).alerts  # but silenced
    uptime = await stub.GetUptime(hp.GetUptimeRequest(check_id=created.id, target_key=target))
    assert not uptime.windows[0].HasField("uptime_percent")  # all of it was maintenance
    assert uptime.maintenance  # shaded on the graph


async def test_another_clusters_window_leaves_uptime_and_the_graph_alone(api: Api) -> None:
    stub = health(api)
    cluster = await make_cluster(api, count=1)
    (droplet,) = await _droplets(api, cluster.id)

    async def window(cluster_id: int) -> hp.MaintenanceWindow:
        w = hp.MaintenanceWindow(
            cluster_id=cluster_id, start=time.time() - 60, duration_seconds=3600,
            recurrence=hp.RECURRENCE_ONCE,
        )  # fmt: skip
        return await stub.CreateMaintenance(hp.CreateMaintenanceRequest(window=w))

    await window(cluster.id + 1000)  # another cluster's
    ours = await window(cluster.id)
    created = await stub.CreateCheck(hp.CreateCheckRequest(check=http_check(cluster.id)))
    await _rounds(api, created.id, 2)
    request = hp.GetUptimeRequest(check_id=created.id, target_key=f"droplet:{droplet.id}")
    assert len((await stub.GetUptime(request)).maintenance) == 1  # ours only
    await stub.DeleteMaintenance(hp.DeleteMaintenanceRequest(window_id=ours.id))
    uptime = await stub.GetUptime(request)
    assert not uptime.maintenance  # the other cluster's window is not shaded here
    assert uptime.windows[0].uptime_percent == 100.0  # nor left out of this uptime


async def test_auto_heal_reboots_within_the_budget(api: Api) -> None:
    api.app.health_checks.service.healer.budget_per_hour = 1  # type: ignore[union-attr]
    stub = health(api)
    cluster = await make_cluster(api, count=2)
    check = http_check(cluster.id, auto_heal=hp.AUTO_HEAL_REBOOT, auto_heal_after=2)
    created = await stub.CreateCheck(hp.CreateCheckRequest(check=check))
    await telemetry(api).InjectFault(
        tel.InjectFaultRequest(kind=tel.FAULT_KIND_CRASH_LOOP, cluster_id=cluster.id)
    )
    await _wait_fault_applied(api, True)
    await _rounds(api, created.id, 3)
    await api.app.health_checks.service.settle()  # type: ignore[union-attr]
    jobs = (await api.jobs.ListJobs(jobs_pb2.ListJobsRequest(cluster_id=cluster.id))).jobs
    reboots = [j for j in jobs if j.kind == common.JOB_KIND_REBOOT_DROPLET]
    assert len(reboots) == 1  # two droplets due, a budget of one
    audit = auth_pb2_grpc.AuthServiceStub(api.channel)
    entries = (
        await audit.ListAuditEntries(auth_pb2.ListAuditEntriesRequest(method=AUTO_HEAL_METHOD))
    ).entries
    assert sorted(e.outcome for e in entries) == ["BUDGET_SPENT", "OK"]
    assert all(e.caller == "health:auto-heal" for e in entries)
    await asyncio.sleep(0)  # nothing else pending
