"""Wiring of deploys' API, diagnosis and its LLM provider (called from app.build_server).

Health (#14) and Logs (#15) plug in here: pass their adapters as `health`, `logs` and
`health_control` (see services/diagnosis/sources.py for the Protocols); until then the null
readers report that nothing was seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from grpc import aio

from clustergenie_server.api.v1 import deploys_pb2, diagnosis_pb2
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.llm.factory import build_provider
from clustergenie_server.rpc.diagnosis_servicer import DeployServicer, DiagnosisServicer
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.services.diagnosis.collect import WindowReader
from clustergenie_server.services.diagnosis.diagnosis_service import DiagnosisService
from clustergenie_server.services.diagnosis.remedies import RemedyPlanner
from clustergenie_server.services.diagnosis.remedy_actions import RemedyActions
from clustergenie_server.services.diagnosis.sources import (
    HealthControl,
    HealthReader,
    LogReader,
    NullHealthControl,
    NullHealthReader,
    NullLogReader,
)
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
from clustergenie_server.settings import Settings
from clustergenie_server.simulation.catalog import Catalog
from clustergenie_server.telemetry_app import Telemetry

DIAGNOSIS_SERVICE = diagnosis_pb2.DESCRIPTOR.services_by_name["DiagnosisService"]
DEPLOY_SERVICE = deploys_pb2.DESCRIPTOR.services_by_name["DeployService"]
DIAGNOSIS_SERVICE_NAMES = (DIAGNOSIS_SERVICE.full_name, DEPLOY_SERVICE.full_name)


@dataclass(slots=True)
class Diagnosis:
    """Diagnosis and deploys of one server."""

    service: DiagnosisService
    telemetry: Telemetry
    actions: RemedyActions

    def add_to_server(self, server: aio.Server) -> None:
        """Register the two gRPC services."""
        add_servicer(server, DIAGNOSIS_SERVICE, DiagnosisServicer(self.service))
        add_servicer(server, DEPLOY_SERVICE, DeployServicer(self.telemetry.deploys))


def build_diagnosis(
    settings: Settings,
    db: Database,
    outbox: Outbox,
    engine: JobEngine,
    provisioning: ProvisioningService,
    telemetry: Telemetry,
    catalog: Catalog,
    *,
    health: HealthReader | None = None,
    logs: LogReader | None = None,
    health_control: HealthControl | None = None,
) -> Diagnosis:
    """Wire diagnosis (its FREE_DISK and REBOOT_DROPLET handlers: services.jobs.job_kinds)."""
    clock = telemetry.runner.clock
    reader = WindowReader(
        db, catalog, health or NullHealthReader(), logs or NullLogReader(),
        lambda: telemetry.runner.hot if telemetry.runner.leadership.is_leader else None,
        settings.telemetry.tick_seconds,
    )  # fmt: skip
    actions = RemedyActions(
        db, outbox, engine, provisioning, telemetry.scaling, telemetry.deploys,
        health_control or NullHealthControl(),
    )  # fmt: skip
    service = DiagnosisService(
        db, outbox, reader, build_provider(settings.llm), RemedyPlanner(catalog), actions, clock,
        max_steps=settings.llm.max_steps,
    )  # fmt: skip
    return Diagnosis(service, telemetry, actions)
