"""Wiring of the Logs feature (called from app.build_server): store, pipeline, simulated logs,
retention, the gRPC service, the ports real agents send to, and the lines between servers."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from grpc import aio

from clustergenie_server.api.v1 import logs_pb2
from clustergenie_server.bus.event_bus import EventBus
from clustergenie_server.db import Database
from clustergenie_server.db.log_store import log_store_for
from clustergenie_server.rpc.logs_servicer import LogsServicer
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.security.tokens import TokenStore
from clustergenie_server.services.logs.generator import LogGenerator
from clustergenie_server.services.logs.log_runner import SimulatedLogs
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.loki_push import LokiPushServer
from clustergenie_server.services.logs.patterns import PatternTracker
from clustergenie_server.services.logs.pipeline import LogPipeline, PipelineLimits
from clustergenie_server.services.logs.retention import Retention, RetentionLimits
from clustergenie_server.services.logs.syslog_server import SyslogServer
from clustergenie_server.settings import Settings
from clustergenie_server.telemetry_app import Telemetry

LOG_SERVICE = logs_pb2.DESCRIPTOR.services_by_name["LogService"]
LOG_SERVICE_NAMES = (LOG_SERVICE.full_name,)


@dataclass(slots=True)
class Logs:
    """The Logs feature of one server."""

    service: LogService
    pipeline: LogPipeline
    bus: EventBus
    retention: Retention
    simulated: SimulatedLogs | None
    loki: LokiPushServer | None = None
    syslog: SyslogServer | None = None
    _started: list[object] = field(default_factory=list)
    _stop_listening: Callable[[], None] | None = None

    def add_to_server(self, server: aio.Server) -> None:
        """Register the gRPC service."""
        add_servicer(server, LOG_SERVICE, LogsServicer(self.service))

    async def start(self) -> None:
        """Start writing, following other servers' lines, retention, the simulated lines and
        the agent ports."""
        await self.pipeline.start()
        self._stop_listening = self.bus.listen_logs(self.pipeline.fan_out)
        await self.retention.start()
        if self.simulated is not None:
            await self.simulated.start()
        if self.loki is not None:
            await self.loki.start()
        if self.syslog is not None:
            await self.syslog.start()

    async def stop(self) -> None:
        """Stop taking lines, then write what is pending."""
        if self.syslog is not None:
            await self.syslog.stop()
        if self.loki is not None:
            await self.loki.stop()
        if self.simulated is not None:
            await self.simulated.stop()
        await self.retention.stop()
        if self._stop_listening is not None:
            self._stop_listening()
        await self.pipeline.stop()


def build_logs(
    settings: Settings,
    db: Database,
    telemetry: Telemetry | None,
    tokens: TokenStore,
    bus: EventBus,
) -> Logs:
    """Wire the Logs feature over the server's database, simulation and event bus (which
    carries each accepted batch to the other servers' live readers)."""
    cfg = settings.logs
    store = log_store_for(db.engine.dialect.name)
    limits = PipelineLimits(max_pending_lines=cfg.max_pending_lines)
    pipeline = LogPipeline(db, store, limits, publish=bus.publish_logs)
    tracker = PatternTracker()
    pipeline.subscribe(tracker)
    now = telemetry.runner.clock.now if telemetry is not None else _wall
    service = LogService(db, store, pipeline, tracker, now, tail_buffer=cfg.tail_buffer_lines)
    simulated = None
    if telemetry is not None and telemetry.enabled and cfg.enabled:
        seed = telemetry.seed if telemetry.seed else random.randrange(2**31)
        generator = LogGenerator(seed, cfg.routine_lines_per_second)
        simulated = SimulatedLogs(db, telemetry.runner, pipeline, generator)
    kept = RetentionLimits(cfg.retention_hours * 3600.0, int(cfg.max_megabytes * 1024 * 1024))
    return Logs(
        service=service,
        pipeline=pipeline,
        bus=bus,
        retention=Retention(db, store, kept, now),
        simulated=simulated,
        loki=LokiPushServer(cfg.http_listen, service, tokens) if cfg.http_listen else None,
        syslog=SyslogServer(cfg.syslog_listen, service, tokens) if cfg.syslog_listen else None,
    )


def _wall() -> float:
    import time

    return time.time()
