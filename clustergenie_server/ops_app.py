"""Wiring of the operator's metrics (called from app.build_server when --metrics-listen is set)."""

from __future__ import annotations

from dataclasses import dataclass

from clustergenie_server.bus.event_bus import EventBus
from clustergenie_server.db import Database
from clustergenie_server.rpc.metrics_interceptor import MetricsInterceptor
from clustergenie_server.services.logs.pipeline import PipelineStats
from clustergenie_server.services.ops.metrics_endpoint import MetricsEndpoint
from clustergenie_server.services.ops.server_metrics import MetricsSources, ServerMetrics
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner


@dataclass(slots=True)
class Ops:
    """The /metrics endpoint and the interceptor that feeds it."""

    endpoint: MetricsEndpoint
    interceptor: MetricsInterceptor

    async def start(self) -> None:
        """Serve /metrics (EndpointError when its address is taken)."""
        await self.endpoint.start()

    async def stop(self) -> None:
        """Stop serving /metrics."""
        await self.endpoint.stop()


def build_ops(
    listen: str | None,
    db: Database,
    bus: EventBus,
    runner: TelemetryRunner | None,
    log_stats: PipelineStats,
) -> Ops | None:
    """The metrics wiring for listen (HOST:PORT), or None when metrics are off; log_stats are
    the log pipeline's counters (the bus brings its log lane's)."""
    if not listen:
        return None
    metrics = ServerMetrics()
    metrics.count_logs(log_stats, bus.log_stats)
    sources = MetricsSources(metrics, db, bus, runner)
    return Ops(MetricsEndpoint(listen, metrics, sources), MetricsInterceptor(metrics))
