"""HealthAdminClient: maintenance windows, notification channels and the delivery log of
HealthCheckService as plain dataclasses (Qt-free; every call has a deadline)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import grpc

from clustergenie_gui.client.client import ClientError
from clustergenie_server.api.v1 import health_pb2 as pb
from clustergenie_server.api.v1 import health_pb2_grpc

T = TypeVar("T")
Stub = health_pb2_grpc.HealthCheckServiceStub

RECURRENCES = {
    "once": pb.RECURRENCE_ONCE,
    "daily": pb.RECURRENCE_DAILY,
    "weekly": pb.RECURRENCE_WEEKLY,
}
CHANNEL_KINDS = {"webhook": pb.CHANNEL_KIND_WEBHOOK, "desktop": pb.CHANNEL_KIND_DESKTOP}
_RECURRENCE_NAMES = {v: k for k, v in RECURRENCES.items()}
_CHANNEL_NAMES = {v: k for k, v in CHANNEL_KINDS.items()}


@dataclass(frozen=True, slots=True)
class Maintenance:
    """A maintenance window (id 0 until stored); cluster_id 0 covers everything."""

    id: int
    cluster_id: int
    start: float  # Unix seconds of the (first) occurrence
    duration_seconds: float
    recurrence: str = "once"  # "once", "daily" or "weekly"
    description: str = ""


@dataclass(frozen=True, slots=True)
class Channel:
    """A notification channel (id 0 until stored)."""

    id: int
    name: str
    kind: str = "webhook"  # "webhook" or "desktop"
    url: str = ""
    reminder_seconds: float = 0.0  # 0: no reminders


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notification of one alert event through one channel."""

    id: int
    channel_id: int
    alert_id: int
    event: str
    attempts: int
    delivered: bool
    error: str
    at: float


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """An alert as the delivery log's filter lists it."""

    id: int
    subject: str
    opened_at: float
    resolved: bool


def _window(w: pb.MaintenanceWindow) -> Maintenance:
    return Maintenance(
        int(w.id), int(w.cluster_id), w.start, w.duration_seconds,
        _RECURRENCE_NAMES.get(w.recurrence, "once"), w.description,
    )  # fmt: skip


def _channel(c: pb.NotificationChannel) -> Channel:
    return Channel(
        int(c.id), c.name, _CHANNEL_NAMES.get(c.kind, "desktop"), c.url, c.reminder_seconds
    )


def _delivery(d: pb.Delivery) -> Delivery:
    return Delivery(
        int(d.id), int(d.channel_id), int(d.alert_id), d.event, d.attempts, d.delivered,
        d.error, d.at,
    )  # fmt: skip


class HealthAdminClient:
    """Calls on the channel `channel()` returns (created inside the running loop)."""

    def __init__(self, channel: Callable[[], grpc.aio.Channel], timeout: float = 10.0) -> None:
        self._channel, self._timeout = channel, timeout

    def _stub(self) -> Stub:
        return Stub(self._channel())

    async def _call(self, call: Callable[[Stub], Awaitable[T]]) -> T:
        """One call through a fresh stub; an RPC error becomes a ClientError."""
        try:
            return await call(self._stub())
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None

    async def windows(self) -> list[Maintenance]:
        """Every maintenance window."""
        reply = await self._call(
            lambda s: s.ListMaintenance(pb.ListMaintenanceRequest(), timeout=self._timeout)
        )
        return [_window(w) for w in reply.windows]

    async def add_window(self, w: Maintenance) -> int:
        """Store a window; returns its id (ClientError names a wrong field)."""
        window = pb.MaintenanceWindow(
            cluster_id=w.cluster_id, start=w.start, duration_seconds=w.duration_seconds,
            recurrence=RECURRENCES[w.recurrence], description=w.description,
        )  # fmt: skip
        request = pb.CreateMaintenanceRequest(window=window)
        reply = await self._call(lambda s: s.CreateMaintenance(request, timeout=self._timeout))
        return int(reply.id)

    async def delete_window(self, window_id: int) -> None:
        """Remove a window."""
        request = pb.DeleteMaintenanceRequest(window_id=window_id)
        await self._call(lambda s: s.DeleteMaintenance(request, timeout=self._timeout))

    async def channels(self) -> list[Channel]:
        """Every notification channel."""
        reply = await self._call(
            lambda s: s.ListChannels(pb.ListChannelsRequest(), timeout=self._timeout)
        )
        return [_channel(c) for c in reply.channels]

    async def add_channel(self, c: Channel) -> int:
        """Store a channel; returns its id (ClientError names a wrong field)."""
        channel = pb.NotificationChannel(
            name=c.name, kind=CHANNEL_KINDS[c.kind], url=c.url, reminder_seconds=c.reminder_seconds
        )
        request = pb.CreateChannelRequest(channel=channel)
        reply = await self._call(lambda s: s.CreateChannel(request, timeout=self._timeout))
        return int(reply.id)

    async def delete_channel(self, channel_id: int) -> None:
        """Remove a channel."""
        request = pb.DeleteChannelRequest(channel_id=channel_id)
        await self._call(lambda s: s.DeleteChannel(request, timeout=self._timeout))

    async def alerts(self) -> list[AlertSummary]:
        """Every alert, newest first."""
        reply = await self._call(
            lambda s: s.ListAlerts(pb.ListAlertsRequest(), timeout=self._timeout)
        )
        return [
            AlertSummary(int(a.id), a.subject, a.opened_at, a.HasField("resolved_at"))
            for a in reply.alerts
        ]

    async def deliveries(self, alert_id: int = 0) -> list[Delivery]:
        """The delivery log, newest first (of one alert when alert_id is set)."""
        request = pb.ListDeliveriesRequest(alert_id=alert_id)
        reply = await self._call(lambda s: s.ListDeliveries(request, timeout=self._timeout))
        return [_delivery(d) for d in reply.deliveries]
