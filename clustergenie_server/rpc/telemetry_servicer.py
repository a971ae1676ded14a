"""TelemetryService over gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator

from clustergenie_server.api.v1 import telemetry_pb2 as pb
from clustergenie_server.api.v1 import telemetry_pb2_grpc
from clustergenie_server.domain.telemetry import Sample
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.rpc.proto_memo import ProtoMemo
from clustergenie_server.services.telemetry.fault_service import FaultRequest, FaultService
from clustergenie_server.services.telemetry.metrics_service import MetricsService, SeriesQuery
from clustergenie_server.wire import telemetry_convert as tc

# Aggregate ticks kept converted: the held ticks (30 simulated minutes: 180) of a few aggregate
# watches (every cluster, and single clusters the Scaling panel shows).
TICK_MEMO_CAPACITY = 1024


# Well below gRPC's default 4 MB message limit (~130 bytes a sample): the Overview's backfill of
# 1,000 clusters is 60,000 samples.
MAX_SAMPLES_PER_UPDATE = 10_000


def _chunks(ticks: list[list[Sample]]) -> Iterator[list[list[Sample]]]:
    """Consecutive whole ticks of at most MAX_SAMPLES_PER_UPDATE samples (or one larger tick)."""
    chunk: list[list[Sample]] = []
    size = 0
    for samples in ticks:
        if chunk and size + len(samples) > MAX_SAMPLES_PER_UPDATE:
            yield chunk
            chunk, size = [], 0
        chunk.append(samples)
        size += len(samples)
    if chunk:
        yield chunk


def _update(samples: Iterable[Sample]) -> pb.MetricsUpdate:
    return pb.MetricsUpdate(samples=[tc.sample_to_proto(s) for s in samples])


def _tick_update(samples: list[Sample]) -> bytes:
    return _update(samples).SerializeToString()


class TelemetryServicer(telemetry_pb2_grpc.TelemetryServiceServicer):
    """Thin: each method translates, calls a service, translates back."""

    def __init__(self, metrics: MetricsService, faults: FaultService, seed: int) -> None:
        self._metrics, self._faults, self._seed = metrics, faults, seed
        # Shared by every WatchMetrics stream of aggregates: a tick's aggregates reach every
        # watch of them as the same list (HotWindow.select), so each is converted and
        # serialized once for all, and sent as those bytes (see rpc.preserialized). Droplet
        # selections are each stream's own: not kept.
        self._ticks = ProtoMemo(_tick_update, capacity=TICK_MEMO_CAPACITY)

    async def GetClock(self, request: pb.GetClockRequest, context: Context) -> pb.SimulationClock:
        clock = self._metrics.clock
        return pb.SimulationClock(
            now=tc.unix_timestamp(clock.now()),
            time_scale=clock.time_scale,
            tick_seconds=self._metrics.tick_seconds,
            seed=self._seed,
            retention_seconds=self._metrics.retention_seconds,
        )

    async def QuerySeries(
        self, request: pb.QuerySeriesRequest, context: Context
    ) -> pb.QuerySeriesResponse:
        series = await self._metrics.query(
            SeriesQuery(
                cluster_id=request.cluster_id,
                droplet_id=request.droplet_id,
                metrics=tc.metrics_from_proto(list(request.metrics)),
                window_seconds=request.window_seconds,
                end=tc.seconds(request.end) if request.HasField("end") else None,
                step_seconds=request.step_seconds,
                max_points=request.max_points,
                aggregation=tc.aggregation_from_proto(request.aggregation),
            )
        )
        return pb.QuerySeriesResponse(series=[tc.series_to_proto(s) for s in series])

    # Yields bytes too, serialized earlier: rpc/preserialized.py sends them as they are, which
    # the generated servicer's signature (messages only) cannot say.
    async def WatchMetrics(  # type: ignore[override]
        self, request: pb.WatchMetricsRequest, context: Context
    ) -> AsyncIterator[pb.MetricsUpdate | bytes]:
        aggregates = request.droplet_id == 0 and not request.include_droplets
        async for ticks in self._metrics.watch(
            request.cluster_id,
            request.droplet_id,
            include_droplets=request.include_droplets,
            backfill_seconds=request.backfill_seconds,
        ):
            if not ticks:
                yield pb.MetricsUpdate(backfill_complete=True)
            elif not aggregates:
                for chunk in _chunks(ticks):
                    yield _update(sample for samples in chunk for sample in samples)
            else:
                for chunk in _chunks(ticks):
                    # Serialized messages, concatenated, are one message whose repeated field
                    # holds all of theirs (protobuf's merge rule): a backfill of 60 ticks is
                    # sent without converting, copying or parsing any sample again.
                    yield b"".join(self._ticks(samples) for samples in chunk)

    async def InjectFault(self, request: pb.InjectFaultRequest, context: Context) -> pb.Fault:
        fault = await self._faults.inject(
            FaultRequest(
                kind=tc.fault_kind_from_proto(request.kind),
                cluster_id=request.cluster_id,
                droplet_id=request.droplet_id,
                magnitude=request.magnitude,
                start_after_seconds=request.start_after_seconds,
                duration_seconds=request.duration_seconds,
            )
        )
        return tc.fault_to_proto(fault)

    async def ListFaults(
        self, request: pb.ListFaultsRequest, context: Context
    ) -> pb.ListFaultsResponse:
        faults = await self._faults.list(
            cluster_id=request.cluster_id, include_ended=request.include_ended
        )
        return pb.ListFaultsResponse(faults=[tc.fault_to_proto(f) for f in faults])

    async def ClearFault(self, request: pb.ClearFaultRequest, context: Context) -> pb.Fault:
        return tc.fault_to_proto(await self._faults.clear(request.id))
