"""Wiring of the scripted demo (--demo) and its DemoService (called from app.build_server).

Health gives the story its checks and alerts: `health_adapters` puts an HTTP check on each
demo cluster and reads the open alert of a droplet, with the cause Diagnose finds for it
(DiagnosisService.diagnose_alert, once per alert).
"""

from __future__ import annotations

import logging

from grpc import aio

from clustergenie_server.api.v1 import demo_pb2
from clustergenie_server.domain.health import CheckDefinition, CheckKind, TargetKind
from clustergenie_server.rpc.demo_servicer import DemoServicer
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.services.demo.director import DemoDirector
from clustergenie_server.services.demo.world import AlertLookup, CheckSetup, DemoWorld
from clustergenie_server.services.diagnosis.diagnosis_service import DiagnosisService
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
from clustergenie_server.settings import Settings
from clustergenie_server.telemetry_app import Telemetry

log = logging.getLogger(__name__)

DEMO_SERVICE = demo_pb2.DESCRIPTOR.services_by_name["DemoService"]
DEMO_SERVICE_NAMES = (DEMO_SERVICE.full_name,)
# Healthy answers take ~20-150 ms (batch is probed across the Atlantic); a droplet that swaps
# takes ~500 more (simulation/probe_answer.py), past the timeout: a failure, not "slow".
DEMO_CONDITIONS = "[STATUS] == 200"
DEMO_TIMEOUT_SECONDS = 0.3
DEMO_INTERVAL_SECONDS = 5.0  # wall clock, as every check's: three failures make an alert


def health_adapters(
    health: HealthService, diagnosis: DiagnosisService
) -> tuple[CheckSetup, AlertLookup]:
    """(add the demo's checks to a cluster, the open alert of a droplet with its cause)."""
    causes: dict[int, str] = {}  # alert id -> the cause Diagnose found ("" for none)
    names: dict[int, str] = {}  # check id -> name

    async def add_checks(cluster_id: int, cluster_name: str) -> list[str]:
        name = f"{cluster_name}-http"
        existing = {c.name: c for c in await health.list_checks(cluster_id)}
        check = existing.get(name) or await health.create_check(
            CheckDefinition(
                0, name, CheckKind.HTTP, TargetKind.CLUSTER, cluster_id,
                interval_seconds=DEMO_INTERVAL_SECONDS, timeout_seconds=DEMO_TIMEOUT_SECONDS,
                conditions=DEMO_CONDITIONS, failure_threshold=3,
            )
        )  # fmt: skip
        names[check.id] = check.name
        return [check.name]

    async def alert_on(cluster_id: int, droplet_id: int) -> tuple[str, str] | None:
        key = f"droplet:{droplet_id}"
        for alert in await health.alerts(open_only=True):
            if alert.cluster_id != cluster_id or (alert.members and key not in alert.members):
                continue
            check = names.get(alert.check_id, f"check {alert.check_id}")
            if alert.diagnosis_session_id:  # Health diagnosed it when it opened
                return check, alert.root_cause
            if alert.id not in causes:  # not yet: diagnose it here, once
                _, root = await diagnosis.diagnose_alert(cluster_id, droplet_id, check)
                causes[alert.id] = root.cause.summary if root is not None else ""
                log.info("demo: alert %s (%s) diagnosed: %s", alert.id, check, causes[alert.id])
            return check, causes[alert.id]
        return None

    return add_checks, alert_on


def build_demo(
    settings: Settings,
    server: aio.Server,
    provisioning: ProvisioningService,
    telemetry: Telemetry,
    diagnosis: DiagnosisService,
    health: HealthService | None = None,
) -> DemoDirector | None:
    """Register DemoService (every server answers GetDemo); the director only with --demo."""
    director = None
    if settings.demo:
        add_checks, alerts = health_adapters(health, diagnosis) if health else (None, None)
        world = DemoWorld(
            provisioning, telemetry.scaling, telemetry.faults, diagnosis,
            telemetry.runner.clock, alerts, add_checks,
        )  # fmt: skip
        director = DemoDirector(world)
    add_servicer(server, DEMO_SERVICE, DemoServicer(director))
    return director
