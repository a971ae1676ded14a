"""HealthCheckService over gRPC: translate, call HealthService, translate back."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from grpc import aio

from clustergenie_server.api.v1 import health_pb2 as pb
from clustergenie_server.api.v1 import health_pb2_grpc
from clustergenie_server.domain.auth import Role
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.rpc.auth_interceptor import current_principal
from clustergenie_server.services.health import validation
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.health.uptime_service import UptimeService
from clustergenie_server.wire import health_convert as hc

MAX_LIMIT = 10_000
Ctx = aio.ServicerContext[Any, Any]


def _since(value: float) -> float:
    return validation.finite(value, "since")


def _limit(value: int, default: int) -> int:
    if value < 0 or value > MAX_LIMIT:
        raise InvalidArgument(f"limit {value} is out of range; give 0 (default) to {MAX_LIMIT}")
    return value or default


def _sees_secrets() -> bool:
    """Admins (who define checks) see credential header values; everyone else a redaction."""
    principal = current_principal.get()
    return principal is not None and principal.role >= Role.ADMIN


class HealthServicer(health_pb2_grpc.HealthCheckServiceServicer):
    """Thin: each method translates, calls HealthService, translates back."""

    def __init__(self, service: HealthService, uptime: UptimeService, poke: object = None) -> None:
        self._service, self._uptime = service, uptime
        self._poke = poke

    def _changed(self) -> None:
        if callable(self._poke):
            self._poke()

    async def CreateCheck(self, request: pb.CreateCheckRequest, context: Ctx) -> pb.HealthCheck:
        if not request.HasField("check"):
            raise InvalidArgument("check is missing; send the check to create")
        created = await self._service.create_check(hc.check_from_proto(request.check))
        self._changed()
        return hc.check_to_proto(created)

    async def UpdateCheck(self, request: pb.UpdateCheckRequest, context: Ctx) -> pb.HealthCheck:
        if not request.HasField("check") or request.check.id <= 0:
            raise InvalidArgument("check.id is missing; send the whole check with its id")
        updated = await self._service.update_check(hc.check_from_proto(request.check))
        self._changed()
        return hc.check_to_proto(updated)

    async def DeleteCheck(
        self, request: pb.DeleteCheckRequest, context: Ctx
    ) -> pb.DeleteCheckResponse:
        await self._service.delete_check(request.check_id)
        self._changed()
        return pb.DeleteCheckResponse()

    async def GetCheck(self, request: pb.GetCheckRequest, context: Ctx) -> pb.HealthCheck:
        check = await self._service.get_check(request.check_id)
        return hc.check_to_proto(check, secrets=_sees_secrets())

    async def ListChecks(
        self, request: pb.ListChecksRequest, context: Ctx
    ) -> pb.ListChecksResponse:
        checks = await self._service.list_checks(request.cluster_id)
        if request.kind:
            checks = [c for c in checks if hc.KIND[c.kind] == request.kind]
        secrets = _sees_secrets()
        return pb.ListChecksResponse(checks=[hc.check_to_proto(c, secrets=secrets) for c in checks])

    async def PauseCheck(self, request: pb.PauseCheckRequest, context: Ctx) -> pb.HealthCheck:
        check = await self._service.pause_check(request.check_id, request.paused)
        self._changed()
        return hc.check_to_proto(check, secrets=_sees_secrets())

    async def RunCheck(self, request: pb.RunCheckRequest, context: Ctx) -> pb.RunCheckResponse:
        results = await self._service.run_now(request.check_id)
        return pb.RunCheckResponse(results=[hc.result_to_proto(r) for r in results])

    async def ValidateConditions(
        self, request: pb.ValidateConditionsRequest, context: Ctx
    ) -> pb.ValidateConditionsResponse:
        error, column = self._service.validate_conditions(request.conditions)
        return pb.ValidateConditionsResponse(valid=not error, error=error, column=column)

    async def GetStatus(self, request: pb.GetStatusRequest, context: Ctx) -> pb.GetStatusResponse:
        statuses, rollups = await self._service.status()
        return pb.GetStatusResponse(
            targets=[hc.status_to_proto(s) for s in statuses],
            clusters=[
                pb.ClusterRollup(cluster_id=c, healthy=h, total=t)
                for c, (h, t) in sorted(rollups.items())
            ],
        )

    async def ListResults(
        self, request: pb.ListResultsRequest, context: Ctx
    ) -> pb.ListResultsResponse:
        results = await self._service.results(
            request.check_id, request.target_key, _since(request.since), _limit(request.limit, 100)
        )
        return pb.ListResultsResponse(results=[hc.result_to_proto(r) for r in results])

    async def ListTransitions(
        self, request: pb.ListTransitionsRequest, context: Ctx
    ) -> pb.ListTransitionsResponse:
        transitions = await self._service.transitions(
            request.check_id, request.target_key, _since(request.since), _limit(request.limit, 200)
        )
        return pb.ListTransitionsResponse(
            transitions=[hc.transition_to_proto(t) for t in transitions]
        )

    async def GetUptime(self, request: pb.GetUptimeRequest, context: Ctx) -> pb.GetUptimeResponse:
        if not request.target_key:
            raise InvalidArgument("target_key is missing; give one such as droplet:12")
        validation.finite(request.series_seconds, "series_seconds", high=30 * 86_400.0)
        validation.finite(request.step_seconds, "step_seconds", high=86_400.0)
        if 0 < request.step_seconds < 1.0:
            raise InvalidArgument("step_seconds: give 0 (chosen for you) or at least 1 s")
        report = await self._uptime.report(
            request.check_id,
            request.target_key,
            time.time(),
            request.series_seconds,
            request.step_seconds,
        )
        return pb.GetUptimeResponse(
            windows=[hc.uptime_to_proto(u) for u in report.windows],
            times=report.times, latency_ms=report.latency_ms, latency_max_ms=report.latency_max_ms,
            failures=[pb.Span(start=a, end=b) for a, b in report.failures],
            maintenance=[pb.Span(start=a, end=b) for a, b in report.maintenance],
        )  # fmt: skip

    async def WatchHealth(
        self, request: pb.WatchHealthRequest, context: Ctx
    ) -> AsyncIterator[pb.HealthUpdate]:
        async for u in self._service.watch():
            if u.snapshot_complete:
                yield pb.HealthUpdate(snapshot_complete=True)
            elif u.status is not None:
                yield pb.HealthUpdate(status=hc.status_to_proto(u.status))
            elif u.result is not None:
                yield pb.HealthUpdate(result=hc.result_to_proto(u.result))
            elif u.transition is not None:
                yield pb.HealthUpdate(
                    transition=hc.transition_to_proto(u.transition), notice=u.notice
                )
            elif u.alert is not None:
                yield pb.HealthUpdate(alert=hc.alert_to_proto(u.alert), notice=u.notice)

    async def ListAlerts(
        self, request: pb.ListAlertsRequest, context: Ctx
    ) -> pb.ListAlertsResponse:
        alerts = await self._service.alerts(request.open_only)
        return pb.ListAlertsResponse(alerts=[hc.alert_to_proto(a) for a in alerts])

    async def ListDeliveries(
        self, request: pb.ListDeliveriesRequest, context: Ctx
    ) -> pb.ListDeliveriesResponse:
        deliveries = await self._service.deliveries(request.alert_id)
        return pb.ListDeliveriesResponse(deliveries=[hc.delivery_to_proto(d) for d in deliveries])

    async def CreateChannel(
        self, request: pb.CreateChannelRequest, context: Ctx
    ) -> pb.NotificationChannel:
        channel = await self._service.add_channel(hc.channel_from_proto(request.channel))
        return hc.channel_to_proto(channel)

    async def ListChannels(
        self, request: pb.ListChannelsRequest, context: Ctx
    ) -> pb.ListChannelsResponse:
        return pb.ListChannelsResponse(
            channels=[hc.channel_to_proto(c) for c in await self._service.channels()]
        )

    async def DeleteChannel(
        self, request: pb.DeleteChannelRequest, context: Ctx
    ) -> pb.DeleteChannelResponse:
        await self._service.delete_channel(request.channel_id)
        return pb.DeleteChannelResponse()

    async def CreateMaintenance(
        self, request: pb.CreateMaintenanceRequest, context: Ctx
    ) -> pb.MaintenanceWindow:
        window = await self._service.add_window(hc.window_from_proto(request.window))
        return hc.window_to_proto(window)

    async def ListMaintenance(
        self, request: pb.ListMaintenanceRequest, context: Ctx
    ) -> pb.ListMaintenanceResponse:
        windows = await self._service.maintenance_windows()
        return pb.ListMaintenanceResponse(windows=[hc.window_to_proto(w) for w in windows])

    async def DeleteMaintenance(
        self, request: pb.DeleteMaintenanceRequest, context: Ctx
    ) -> pb.DeleteMaintenanceResponse:
        await self._service.delete_window(request.window_id)
        return pb.DeleteMaintenanceResponse()
