"""build_server(settings): the one place that wires database, bus, cloud, services and gRPC."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

import grpc
from grpc import aio
from grpc_health.v1 import _async as health_aio  # health.aio: grpc-stubs leaves it out
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from clustergenie_server.api.v1 import (
    auth_pb2,
    info_pb2,
    jobs_pb2,
    provisioning_pb2,
)
from clustergenie_server.bus.event_bus import EventBus
from clustergenie_server.bus.factory import build_bus
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.cache.cache import Cache
from clustergenie_server.cache.factory import build_cache
from clustergenie_server.db import Database
from clustergenie_server.demo_app import DEMO_SERVICE_NAMES, build_demo
from clustergenie_server.diagnosis_app import (
    DIAGNOSIS_SERVICE_NAMES,
    build_diagnosis,
    diagnose_alerts,
    feature_sources,
)
from clustergenie_server.domain.models import JobKind
from clustergenie_server.health_app import HEALTH_SERVICE_NAMES, Health, build_health
from clustergenie_server.logs_app import LOG_SERVICE_NAMES, Logs, build_logs
from clustergenie_server.ops_app import Ops, build_ops
from clustergenie_server.rpc.auth_interceptor import AuthInterceptor
from clustergenie_server.rpc.auth_servicer import AuthServicer
from clustergenie_server.rpc.error_interceptor import ErrorInterceptor
from clustergenie_server.rpc.info_servicer import InfoServicer, describe
from clustergenie_server.rpc.jobs_servicer import JobServicer
from clustergenie_server.rpc.preserialized import add_servicer
from clustergenie_server.rpc.provisioning_servicer import ProvisioningServicer
from clustergenie_server.rpc.rate_limit_interceptor import RateLimitInterceptor
from clustergenie_server.security.tokens import TokenFileError, TokenStore
from clustergenie_server.services.audit.audit_log import AuditLog
from clustergenie_server.services.demo.director import DemoDirector
from clustergenie_server.services.diagnosis.diagnosis_service import DiagnosisService
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.jobs.job_kinds import build_job_handlers
from clustergenie_server.services.jobs.job_leases import new_owner_id
from clustergenie_server.services.jobs.job_service import MAX_LIST, JobService
from clustergenie_server.services.jobs.job_wakeups import JobWakeups
from clustergenie_server.services.jobs.job_watch import JobWatch
from clustergenie_server.services.jobs.recent_jobs import RecentJobs
from clustergenie_server.services.provisioning.inventory_view import InventoryView
from clustergenie_server.services.provisioning.inventory_watch import InventoryWatch
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
from clustergenie_server.services.shared.hot_view import HotView, follow_events
from clustergenie_server.settings import Settings
from clustergenie_server.simulation.cloud import SimulatedCloud
from clustergenie_server.telemetry_app import TELEMETRY_SERVICE_NAMES, Telemetry, build_telemetry
from clustergenie_server.token_sources import configured_entries

log = logging.getLogger(__name__)

PROVISIONING_SERVICE = provisioning_pb2.DESCRIPTOR.services_by_name["ProvisioningService"]
JOB_SERVICE = jobs_pb2.DESCRIPTOR.services_by_name["JobService"]
AUTH_SERVICE = auth_pb2.DESCRIPTOR.services_by_name["AuthService"]
INFO_SERVICE = info_pb2.DESCRIPTOR.services_by_name["InfoService"]
SERVICE_NAMES = (
    PROVISIONING_SERVICE.full_name,
    JOB_SERVICE.full_name,
    AUTH_SERVICE.full_name,
    INFO_SERVICE.full_name,
    *TELEMETRY_SERVICE_NAMES,
    *DIAGNOSIS_SERVICE_NAMES,
    *HEALTH_SERVICE_NAMES,
    *LOG_SERVICE_NAMES,
    *DEMO_SERVICE_NAMES,
)


class ListenError(RuntimeError):
    """The listen address cannot be bound."""


class AuthSetupError(RuntimeError):
    """No usable tokens or TLS files: the server refuses to start rather than run open."""


@dataclass(slots=True)
class ServerApp:
    """A wired server: start() to serve, stop() to shut down without losing jobs."""

    settings: Settings
    server: aio.Server
    port: int
    db: Database
    bus: EventBus
    engine: JobEngine
    health: health_aio.HealthServicer
    cache: Cache
    hot_view: HotView
    telemetry: Telemetry | None = None
    outbox: Outbox | None = None
    wakeups: JobWakeups | None = None
    audit: AuditLog | None = None
    ops: Ops | None = None  # /metrics, with --metrics-listen
    diagnosis: DiagnosisService | None = None  # Health attaches diagnoses to its alerts
    health_checks: Health | None = None
    logs: Logs | None = None
    demo: DemoDirector | None = None  # --demo: the scripted story
    _hot_view_task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        """The bound HOST:PORT (the port is real even when 0 was asked for)."""
        host = self.settings.listen.rpartition(":")[0]
        return f"{host}:{self.port}"

    async def start(self) -> None:
        """Serve RPCs and run jobs."""
        # Never fails for an unreachable Redis: that is logged and retried in the background.
        await self.cache.start()
        # Never fails for an unreachable broker either: logged and retried in the background.
        await self.bus.start()
        self._hot_view_task = follow_events(self.bus, self.hot_view)
        if self.outbox is not None:
            await self.outbox.start()
        if self.wakeups is not None:
            await self.wakeups.start()
        if self.audit is not None:
            await self.audit.start()
        if self.ops is not None:
            await self.ops.start()  # before serving: a taken metrics port stops the start
        await self.server.start()
        await self.engine.start()
        if self.telemetry is not None:
            await self.telemetry.start()
        if self.health_checks is not None:
            await self.health_checks.start()
        if self.logs is not None:
            await self.logs.start()
        for name in ("", *SERVICE_NAMES):
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        if self.demo is not None:
            await self.demo.start()  # last: it acts through everything started above

    async def stop(self) -> None:
        """Graceful stop: report NOT_SERVING, end the watch streams, queue running jobs again,
        then give unary calls in flight the grace period to finish before cutting them off."""
        await self.health.enter_graceful_shutdown()
        if self.demo is not None:
            await self.demo.stop()
        if self.ops is not None:
            await self.ops.stop()
        if self.wakeups is not None:
            await self.wakeups.stop()
        if self.health_checks is not None:
            await self.health_checks.stop()  # first: its leases go to the other servers at once
        if self.logs is not None:
            await self.logs.stop()  # before the simulation: its last lines are still written
        if self.telemetry is not None:
            await self.telemetry.stop()
        await self.engine.stop()
        if self.outbox is not None:
            # After the engine, so the jobs it queued again are announced to the other servers.
            await self.outbox.stop()
        await self.bus.aclose()
        await self.server.stop(self.settings.shutdown_grace_seconds)
        if self.audit is not None:
            await self.audit.stop()  # after the server: calls in the grace period are audited
        if self._hot_view_task is not None:
            # The closed bus ends the task once it has applied what it was handed (the jobs
            # queued again above among them), so other servers do not read them as running.
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._hot_view_task, 2.0)
        await self.cache.aclose()
        await self.db.aclose()


def _token_store(settings: Settings) -> TokenStore:
    try:
        entries = configured_entries(settings.auth)
    except TokenFileError as exc:
        raise AuthSetupError(str(exc)) from exc
    if not entries:
        # The command line generates a token when none is configured; an embedder must pass one.
        raise AuthSetupError(
            "no tokens configured: give --tokens-file or CLUSTERGENIE_TOKEN; the server never "
            "runs without authentication"
        )
    return TokenStore(entries)


def _server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    auth = settings.auth
    if not (auth.tls_cert and auth.tls_key):
        return None
    try:
        with open(auth.tls_key, "rb") as key, open(auth.tls_cert, "rb") as cert:
            return grpc.ssl_server_credentials([(key.read(), cert.read())])
    except OSError as exc:
        raise AuthSetupError(
            f"cannot read TLS file {exc.filename}: {exc.strerror}; check --tls-cert/--tls-key"
        ) from exc


async def build_server(settings: Settings) -> ServerApp:
    """Connect and migrate the database, then wire everything; nothing is served yet."""
    tokens = _token_store(settings)  # before the database: a setup error costs nothing
    credentials = _server_credentials(settings)
    db = Database.connect(settings.database_url)
    await asyncio.get_running_loop().run_in_executor(None, db.migrate)
    owner = new_owner_id()  # this server: job lease owner, outbox writer, event origin
    bus = build_bus(settings, owner)
    outbox = Outbox(db, bus, owner=owner)
    cloud = SimulatedCloud(settings.simulation)
    engine = JobEngine(db, outbox, cloud, settings.jobs, owner=owner)
    cache = build_cache(settings)
    hot_view = HotView(cache, settings.cache.hot_view_ttl_seconds)
    inventory = InventoryView(db, bus)
    provisioning = ProvisioningService(
        db, outbox, engine, cloud.catalog, InventoryWatch(bus, inventory), hot_view
    )
    telemetry = await build_telemetry(settings, db, outbox, engine, cloud.catalog, cache)
    # After provisioning and the simulation clock: the scale job provisions and destroys
    # droplets through provisioning; deploys, reboots and disk cleanups act on simulated time.
    engine.set_handlers(
        build_job_handlers(settings, droplets=provisioning, clock=telemetry.runner.clock)
    )
    audit = AuditLog(db)
    # Health and Logs before diagnosis, which reads them (and pauses checks) through adapters.
    health_checks = build_health(
        db, outbox, inventory, telemetry.runner, cloud.catalog, owner, provisioning, audit
    )
    logs = build_logs(settings, db, telemetry, tokens, bus)
    sources = feature_sources(db, health_checks.service, logs.service, telemetry.runner.clock)
    diagnosis = build_diagnosis(
        settings, db, outbox, engine, provisioning, telemetry, cloud.catalog,
        health=sources.health, logs=sources.logs, health_control=sources.health,
    )  # fmt: skip
    diagnose_alerts(diagnosis, health_checks.service)
    job_watch = JobWatch(bus, RecentJobs(db, bus, MAX_LIST))
    # Built last: RetryJob repeats any kind of job through the service that started it.
    jobs = JobService(
        db,
        engine,
        provisioning,
        telemetry.scaling,
        job_watch,
        hot_view,
        other_retries={
            JobKind.DEPLOY_VERSION: telemetry.deploys.retry,
            JobKind.FREE_DISK: diagnosis.actions.retry_free_disk,
        },
    )

    auth = AuthInterceptor(tokens, audit, settings.limits.max_streams_per_client)
    ops = build_ops(
        settings.metrics_listen,
        db,
        bus,
        telemetry.runner if telemetry.enabled else None,
        logs.pipeline.stats,
    )
    server = aio.server(
        # Authentication first: nothing reaches the rate limiter or a servicer without a token
        # (metrics, when on, count even the calls it refuses).
        interceptors=[
            *([ops.interceptor] if ops is not None else []),
            auth,
            ErrorInterceptor(),
            RateLimitInterceptor(cache, settings.limits),
        ],
        # so_reuseport off: otherwise a second server on the same port starts "fine" and steals
        # half the connections instead of failing.
        options=[
            ("grpc.so_reuseport", 0),
            ("grpc.max_receive_message_length", 4 * 1024 * 1024),
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.http2.max_pings_without_data", 0),
        ],
    )
    add_servicer(server, PROVISIONING_SERVICE, ProvisioningServicer(provisioning))
    add_servicer(server, JOB_SERVICE, JobServicer(jobs))
    add_servicer(server, AUTH_SERVICE, AuthServicer(audit))
    add_servicer(server, INFO_SERVICE, InfoServicer(describe(settings, datetime.now(UTC))))
    telemetry.add_to_server(server)
    diagnosis.add_to_server(server)
    health_checks.add_to_server(server)
    logs.add_to_server(server)
    demo = build_demo(
        settings, server, provisioning, telemetry, diagnosis.service, health_checks.service
    )
    health_servicer = health_aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (*SERVICE_NAMES, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    try:
        if credentials is None:
            port = server.add_insecure_port(settings.listen)
        else:
            port = server.add_secure_port(settings.listen, credentials)
    except RuntimeError as exc:
        await db.aclose()
        raise ListenError(
            f"cannot listen on {settings.listen}: {exc}; is another server "
            "running there? choose another address with --listen"
        ) from exc
    return ServerApp(
        settings,
        server,
        port,
        db,
        bus,
        engine,
        health_servicer,
        cache,
        hot_view,
        telemetry,
        outbox=outbox,
        wakeups=JobWakeups(bus, engine),
        audit=audit,
        ops=ops,
        diagnosis=diagnosis.service,
        health_checks=health_checks,
        logs=logs,
        demo=demo,
    )
