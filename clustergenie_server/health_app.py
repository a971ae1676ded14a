"""Wiring of health checks: service, scheduler with partition leases, servicer (from app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from grpc import aio

from clustergenie_server.api.v1 import health_pb2
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.rpc.grpc_health_probe import GrpcHealthProber
from clustergenie_server.rpc.health_servicer import HealthServicer
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.services.audit.audit_log import AuditLog
from clustergenie_server.services.health.auto_heal import AutoHealer, HealActions
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.health.partitions import PartitionLeases
from clustergenie_server.services.health.scheduler import Scheduler
from clustergenie_server.services.health.uptime_service import UptimeService
from clustergenie_server.services.provisioning.inventory_view import InventoryView
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner
from clustergenie_server.simulation.catalog import Catalog

HEALTH_SERVICE = health_pb2.DESCRIPTOR.services_by_name["HealthCheckService"]
HEALTH_SERVICE_NAMES = (HEALTH_SERVICE.full_name,)


@dataclass(slots=True)
class Health:
    """The health feature of one server."""

    service: HealthService
    scheduler: Scheduler
    uptime: UptimeService

    def add_to_server(self, server: aio.Server) -> None:
        """Register the gRPC service."""
        servicer = HealthServicer(self.service, self.uptime, self.scheduler.poke)
        add_servicer(server, HEALTH_SERVICE, servicer)

    async def start(self) -> None:
        """Load definitions, then schedule checks (whether or not a GUI is connected)."""
        await self.service.start()
        await self.scheduler.start()

    async def stop(self) -> None:
        """Stop scheduling (leases released for the other servers), then write what is left."""
        await self.scheduler.stop()
        await self.service.stop()


def build_health(
    db: Database,
    outbox: Outbox,
    inventory: InventoryView,
    runner: TelemetryRunner,
    catalog: Catalog,
    owner: str,
    heal_actions: HealActions,
    audit: AuditLog | None,
) -> Health:
    """Wire the health service on the simulation's faults and clock."""
    service = HealthService(
        db,
        outbox,
        inventory,
        regions=[r.slug for r in catalog.regions],
        faults=runner.faults_in_effect,
        sim_now=runner.clock.now,
        grpc_probe=GrpcHealthProber(),
        healer=AutoHealer(heal_actions, audit),
    )
    scheduler = Scheduler(
        lambda: service.checks,
        service.run_round,
        PartitionLeases(db, owner),
        reload=service.reload,
        last_runs=service.last_runs,
        flush=service.flush,
        forget=service.forget,
    )
    return Health(service, scheduler, UptimeService(service))
