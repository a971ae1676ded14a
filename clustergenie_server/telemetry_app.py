"""Wiring of the simulation clock, telemetry, faults and scaling (called from app.build_server)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from grpc import aio

from clustergenie_server.api.v1 import (
    scaling_pb2,
    telemetry_pb2,
)
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.cache.cache import Cache
from clustergenie_server.db import Database
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.rpc.scaling_servicer import ScalingServicer
from clustergenie_server.rpc.telemetry_servicer import TelemetryServicer
from clustergenie_server.services.deploys.deploy_service import DeployService
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.scaling.scaling_controller import ScalingController
from clustergenie_server.services.scaling.scaling_service import ScalingService
from clustergenie_server.services.shared.leadership import Leadership
from clustergenie_server.services.telemetry.fault_service import FaultService
from clustergenie_server.services.telemetry.hot_window import MemoryHotWindow
from clustergenie_server.services.telemetry.metrics_service import MetricsService
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner
from clustergenie_server.settings import Settings
from clustergenie_server.simulation.catalog import Catalog
from clustergenie_server.simulation.clock import SimClock
from clustergenie_server.simulation.engine import SimulationEngine

TELEMETRY_SERVICE = telemetry_pb2.DESCRIPTOR.services_by_name["TelemetryService"]
SCALING_SERVICE = scaling_pb2.DESCRIPTOR.services_by_name["ScalingService"]
TELEMETRY_SERVICE_NAMES = (TELEMETRY_SERVICE.full_name, SCALING_SERVICE.full_name)
# Longer than a few refresh periods, so a busy event loop does not lose the lock.
LEADER_LOCK_TTL_SECONDS = 10.0


@dataclass(slots=True)
class Telemetry:
    """The simulation, metrics, faults and scaling of one server."""

    runner: TelemetryRunner
    metrics: MetricsService
    faults: FaultService
    scaling: ScalingService
    controller: ScalingController
    deploys: DeployService
    seed: int
    enabled: bool
    autoscale: bool

    def add_to_server(self, server: aio.Server) -> None:
        """Register the two gRPC services."""
        add_servicer(
            server, TELEMETRY_SERVICE, TelemetryServicer(self.metrics, self.faults, self.seed)
        )
        add_servicer(server, SCALING_SERVICE, ScalingServicer(self.scaling))

    async def start(self) -> None:
        """Start simulating and auto-scaling."""
        if self.enabled:
            await self.runner.start()
            if self.autoscale:
                await self.controller.start()

    async def stop(self) -> None:
        """Stop the controller, then the simulation (writing what is pending)."""
        await self.controller.stop()
        await self.runner.stop()


async def build_telemetry(
    settings: Settings,
    db: Database,
    outbox: Outbox,
    engine: JobEngine,
    catalog: Catalog,
    cache: Cache | None,
) -> Telemetry:
    """Wire telemetry, deploys and scaling (their job handlers: services.jobs.job_kinds)."""
    sim, tel = settings.simulation, settings.telemetry
    seed = sim.seed if sim.seed is not None else random.randrange(2**31)
    latest = await db.run(lambda s: MetricRepository(s).latest_time())
    # Resume after the newest stored sample: at a time scale above 1 simulated time runs ahead
    # of the wall clock, and a restart must not write samples into the past.
    origin = max(time.time(), (latest or 0.0) + tel.tick_seconds)
    clock = SimClock(sim.time_scale, origin=origin)
    sim_engine = SimulationEngine(
        seed, catalog, tick_seconds=tel.tick_seconds, bursts_per_day=tel.bursts_per_day
    )
    hot = MemoryHotWindow(int(tel.hot_window_minutes * 60 / tel.tick_seconds))
    leadership = Leadership(cache, "telemetry:leader", LEADER_LOCK_TTL_SECONDS)
    runner = TelemetryRunner(db, outbox, clock, sim_engine, hot, tel, leadership)
    scaling = ScalingService(db, outbox, engine)
    deploys = DeployService(db, outbox, engine, clock)
    return Telemetry(
        runner=runner,
        metrics=MetricsService(db, runner, tel),
        faults=FaultService(db, outbox, runner, deploys),
        deploys=deploys,
        scaling=scaling,
        controller=ScalingController(db, outbox, runner, scaling, settings.scaling),
        seed=seed,
        enabled=tel.enabled,
        autoscale=settings.scaling.enabled,
    )
