"""WatchMetrics' updates: the backfill in bounded updates, its end marked, live ticks shared."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from clustergenie_server.api.v1 import telemetry_pb2 as pb
from clustergenie_server.domain.telemetry import METRICS, Sample
from clustergenie_server.rpc import telemetry_servicer
from clustergenie_server.rpc.preserialized import serialize
from clustergenie_server.rpc.telemetry_servicer import TelemetryServicer


def tick(t: float, clusters: int) -> list[Sample]:
    """One tick of every cluster's aggregate."""
    return [Sample(c, 0, t, (float(c),) * len(METRICS)) for c in range(1, clusters + 1)]


class FakeMetrics:
    """MetricsService.watch as the servicer sees it: backfill, marker, then live ticks."""

    def __init__(self, updates: list[list[list[Sample]]]) -> None:
        self.updates = updates

    async def watch(self, *_args: Any, **_kwargs: Any) -> AsyncIterator[list[list[Sample]]]:
        for update in self.updates:
            yield update


async def stream(servicer: TelemetryServicer, **request: Any) -> list[pb.MetricsUpdate | bytes]:
    """What the servicer yields: messages, or messages it kept serialized."""
    watch = pb.WatchMetricsRequest(backfill_seconds=600, **request)
    return [u async for u in servicer.WatchMetrics(watch, None)]  # type: ignore[arg-type]


def received(update: pb.MetricsUpdate | bytes) -> pb.MetricsUpdate:
    """The update as a client parses it."""
    return pb.MetricsUpdate.FromString(serialize(update))


@pytest.mark.parametrize("request_fields", [{}, {"cluster_id": 1, "include_droplets": True}])
async def test_a_long_backfill_comes_in_bounded_updates_then_its_marker(
    monkeypatch: pytest.MonkeyPatch, request_fields: dict[str, Any]
) -> None:
    monkeypatch.setattr(telemetry_servicer, "MAX_SAMPLES_PER_UPDATE", 5)
    backfill = [tick(10.0 * k, clusters=2) for k in range(5)]  # 10 samples
    live = tick(50.0, clusters=2)
    servicer = TelemetryServicer(FakeMetrics([backfill, [], [live]]), None, 0)  # type: ignore[arg-type]

    updates = [received(u) for u in await stream(servicer, **request_fields)]

    sizes = [len(u.samples) for u in updates]
    assert sizes == [4, 4, 2, 0, 2]  # whole ticks, at most 5 samples each
    assert [u.backfill_complete for u in updates] == [False, False, False, True, False]
    sent = [(s.time.seconds, s.cluster_id) for u in updates[:3] for s in u.samples]
    assert sent == [(10 * k, c) for k in range(5) for c in (1, 2)]  # oldest first, none lost
    assert updates[0].samples[1].cpu_percent == 2.0


async def test_every_stream_gets_the_same_message_for_a_live_tick() -> None:
    live = tick(50.0, clusters=3)
    servicer = TelemetryServicer(FakeMetrics([[live]]), None, 0)  # type: ignore[arg-type]

    first, second = await stream(servicer), await stream(servicer)

    assert first[0] is second[0]  # converted once for both
    assert [s.cluster_id for s in received(first[0]).samples] == [1, 2, 3]


async def test_droplet_selections_are_converted_for_each_stream() -> None:
    live = tick(50.0, clusters=3)  # stands for a cluster's droplets: each stream's own list
    servicer = TelemetryServicer(FakeMetrics([[live]]), None, 0)  # type: ignore[arg-type]

    first = await stream(servicer, cluster_id=1, include_droplets=True)
    second = await stream(servicer, cluster_id=1, include_droplets=True)

    assert first[0] is not second[0]  # nothing kept for them
    assert first[0] == second[0]
