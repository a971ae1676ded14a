"""TelemetryService over gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator

from grpc import aio

from clustergenie_server.api.v1 import telemetry_pb2 as pb
from clustergenie_server.api.v1 import telemetry_pb2_grpc
from clustergenie_server.rpc import telemetry_convert as tc
from clustergenie_server.services.fault_service import FaultRequest, FaultService
from clustergenie_server.services.metrics_service import MetricsService, SeriesQuery


class TelemetryServicer(telemetry_pb2_grpc.TelemetryServiceServicer):
    """Thin: each method translates, calls a service, translates back."""

    def __init__(self, metrics: MetricsService, faults: FaultService, seed: int) -> None:
        self._metrics, self._faults, self._seed = metrics, faults, seed

    async def GetClock(
        self, request: pb.GetClockRequest, context: aio.ServicerContext
    ) -> pb.SimulationClock:
        clock = self._metrics.clock
        return pb.SimulationClock(
            now=tc.unix_timestamp(clock.now()),
            time_scale=clock.time_scale,
            tick_seconds=self._metrics.tick_seconds,
            seed=self._seed,
            retention_seconds=self._metrics.retention_seconds,
        )

    async def QuerySeries(
        self, request: pb.QuerySeriesRequest, context: aio.ServicerContext
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

    async def WatchMetrics(
        self, request: pb.WatchMetricsRequest, context: aio.ServicerContext
    ) -> AsyncIterator[pb.MetricsUpdate]:
        async for samples in self._metrics.watch(
            request.cluster_id,
            request.droplet_id,
            include_droplets=request.include_droplets,
            backfill_seconds=request.backfill_seconds,
        ):
            yield pb.MetricsUpdate(samples=[tc.sample_to_proto(s) for s in samples])

    async def InjectFault(
        self, request: pb.InjectFaultRequest, context: aio.ServicerContext
    ) -> pb.Fault:
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
        self, request: pb.ListFaultsRequest, context: aio.ServicerContext
    ) -> pb.ListFaultsResponse:
        faults = await self._faults.list(
            cluster_id=request.cluster_id, include_ended=request.include_ended
        )
        return pb.ListFaultsResponse(faults=[tc.fault_to_proto(f) for f in faults])

    async def ClearFault(
        self, request: pb.ClearFaultRequest, context: aio.ServicerContext
    ) -> pb.Fault:
        return tc.fault_to_proto(await self._faults.clear(request.id))
