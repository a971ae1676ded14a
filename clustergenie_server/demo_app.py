"""Wiring of the scripted demo (--demo) and its DemoService (called from app.build_server)."""

from __future__ import annotations

from grpc import aio

from clustergenie_server.api.v1 import demo_pb2
from clustergenie_server.rpc.demo_servicer import DemoServicer
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.services.demo.director import DemoDirector
from clustergenie_server.services.demo.world import AlertLookup, CheckSetup, DemoWorld
from clustergenie_server.services.diagnosis.diagnosis_service import DiagnosisService
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
from clustergenie_server.settings import Settings
from clustergenie_server.telemetry_app import Telemetry

DEMO_SERVICE = demo_pb2.DESCRIPTOR.services_by_name["DemoService"]
DEMO_SERVICE_NAMES = (DEMO_SERVICE.full_name,)


def build_demo(
    settings: Settings,
    server: aio.Server,
    provisioning: ProvisioningService,
    telemetry: Telemetry,
    diagnosis: DiagnosisService,
    *,
    alerts: AlertLookup | None = None,
    add_checks: CheckSetup | None = None,
) -> DemoDirector | None:
    """Register DemoService (every server answers GetDemo); the director only with --demo."""
    director = None
    if settings.demo:
        world = DemoWorld(
            provisioning, telemetry.scaling, telemetry.faults, diagnosis,
            telemetry.runner.clock, alerts, add_checks,
        )  # fmt: skip
        director = DemoDirector(world)
    add_servicer(server, DEMO_SERVICE, DemoServicer(director))
    return director
