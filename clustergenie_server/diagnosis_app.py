"""Wiring of deploys' API, diagnosis and its LLM provider (called from app.build_server).

Health (#14) and Logs (#15) plug in here: `feature_sources` builds the adapters over their
services (services/diagnosis/feature_sources.py) that build_diagnosis takes as `health`, `logs`
and `health_control`; without them the null readers report that nothing was seen.
`diagnose_alerts` has Health's opened alerts diagnosed in the background.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from grpc import aio

from clustergenie_server.api.v1 import deploys_pb2, diagnosis_pb2
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.domain.health import Alert
from clustergenie_server.llm.factory import build_provider
from clustergenie_server.rpc.diagnosis_servicer import DeployServicer, DiagnosisServicer
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.services.diagnosis.collect import WindowReader
from clustergenie_server.services.diagnosis.diagnosis_service import DiagnosisService
from clustergenie_server.services.diagnosis.feature_sources import (
    HealthFeatureReader,
    LogFeatureReader,
)
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
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
from clustergenie_server.settings import Settings
from clustergenie_server.simulation.catalog import Catalog
from clustergenie_server.simulation.clock import SimClock
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


@dataclass(frozen=True, slots=True)
class FeatureSources:
    """The real Health and Logs, as build_diagnosis's health (also its health_control) and
    logs."""

    health: HealthFeatureReader
    logs: LogFeatureReader


def feature_sources(
    db: Database, health: HealthService, logs: LogService, clock: SimClock
) -> FeatureSources:
    """Adapters over the health and log services (health times converted with the clock)."""
    return FeatureSources(HealthFeatureReader(health, clock), LogFeatureReader(logs, db))


def diagnose_alerts(diagnosis: Diagnosis, health: HealthService) -> None:
    """Have every alert Health opens diagnosed in the background, its root cause attached."""
    health.diagnoser = partial(_diagnose_alert, diagnosis.service)


async def _diagnose_alert(service: DiagnosisService, alert: Alert, check: str) -> tuple[int, str]:
    """(session id, root cause) of an alert: of its droplet when it is one droplet's, else of
    its cluster."""
    kind, _, raw = alert.members[0].partition(":") if len(alert.members) == 1 else ("", "", "")
    droplet_id = int(raw) if kind == "droplet" and raw.isdigit() else 0
    session_id, root = await service.diagnose_alert(alert.cluster_id, droplet_id, check)
    return session_id, root.cause.summary if root is not None else ""
