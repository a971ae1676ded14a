"""End to end: an injected bad deploy shows as an error-rate rise in the live stats stream, the
matching 5xx lines in the tail, and a new pattern (in LogPatterns and as a tracker event)."""

from __future__ import annotations

import asyncio

from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.api.v1 import logs_pb2_grpc, telemetry_pb2_grpc
from clustergenie_server.api.v1 import provisioning_pb2 as ppb
from clustergenie_server.api.v1 import telemetry_pb2 as tpb

from .conftest import Api, next_message

WEB = '{cluster="web-prod"}'


def _ratio(update: pb.LogStatsResponse, buckets: slice) -> tuple[float, float]:
    """(errors, all lines) in the given buckets of a stats update."""
    errors = total = 0.0
    for series in update.series:
        values = sum(list(series.values)[buckets])
        total += values
        if series.labels["level"] == "error":
            errors += values
    return errors, total


async def test_a_bad_deploy_shows_in_stats_tail_and_patterns(api: Api) -> None:
    created = await api.provisioning.CreateCluster(
        ppb.CreateClusterRequest(
            name="web-prod",
            region="nyc1",
            size="s-2vcpu-4gb",
            image="ubuntu-24-04-x64",
            droplet_count=2,
            tags=["web"],
        )  # fmt: skip
    )
    await api.wait_jobs([j.id for j in created.jobs])
    logs = logs_pb2_grpc.LogServiceStub(api.channel)
    telemetry = telemetry_pb2_grpc.TelemetryServiceStub(api.channel)
    clock = await telemetry.GetClock(tpb.GetClockRequest())
    start = clock.now.seconds - 60
    stats = logs.LogStats(pb.LogStatsRequest(query=WEB, start=start, step_seconds=10, live=True))
    first = await next_message(stats)
    async with asyncio.timeout(30):  # the simulation's lines for the healthy cluster flow
        while True:
            update = await next_message(stats)
            if _ratio(update, slice(None))[1] > 200:
                break
    errors, total = _ratio(update, slice(None))
    assert errors / total < 0.05  # healthy: about 0.1 % errors
    assert not first.complete

    tail = logs.TailLogs(pb.TailLogsRequest(query=WEB + " | logfmt | status >= 500"))
    assert (await next_message(tail)).replay_complete
    fault = await telemetry.InjectFault(
        tpb.InjectFaultRequest(
            kind=tpb.FAULT_KIND_BAD_DEPLOY, cluster_id=created.cluster.id, magnitude=0.5
        )
    )
    injected_at = fault.start_at.seconds

    fivexx: list[str] = []
    async with asyncio.timeout(30):
        while len(fivexx) < 20:
            r = await next_message(tail)
            fivexx.extend(e.line for e in r.entries)
    assert all(" status=5" in line for line in fivexx)
    assert any("version=v2.5.0-rc1" in line for line in fivexx)  # the new version string
    tail.cancel()

    async with asyncio.timeout(30):  # the live stats show the rise
        while True:
            update = await next_message(stats)
            if update.start >= injected_at:
                errors, total = _ratio(update, slice(None))
                if total > 100 and errors / total > 0.2:
                    break
    stats.cancel()

    now = (await telemetry.GetClock(tpb.GetClockRequest())).now.seconds
    patterns = await logs.LogPatterns(
        pb.LogPatternsRequest(query=WEB, start=start, end=now + 10, since=injected_at)
    )
    new = [p.template for p in patterns.patterns if p.is_new]
    shown = [(p.template[:60], p.count, p.first_seen - injected_at) for p in patterns.patterns]
    assert any("KeyError" in t or "rolled out version" in t for t in new), shown
    assert not any(
        p.is_new and "status=" in p.template and "v2.4.0" in p.example for p in patterns.patterns
    )
    assert api.app.logs is not None
    seen = api.app.logs.service.new_patterns("web-prod", injected_at - 60, now + 60)
    assert any("KeyError" in e.template or "while handling" in e.template for e in seen), seen
