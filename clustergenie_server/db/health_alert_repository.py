"""Maintenance windows, channels, alerts, deliveries and the scheduling leases of health."""

from __future__ import annotations

import builtins
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.health_models import (
    health_alerts,
    health_channels,
    health_deliveries,
    health_leases,
    health_maintenance,
    health_servers,
)
from clustergenie_server.db.health_repository import inserted_id, rowcount
from clustergenie_server.domain.health import (
    Alert,
    Channel,
    ChannelKind,
    Delivery,
    MaintenanceWindow,
    Recurrence,
)


def _alert(r: sa.Row[Any]) -> Alert:
    return Alert(
        r.id, r.check_id, r.cluster_id, r.subject, tuple(json.loads(r.members)),
        r.opened_at, r.resolved_at, r.last_notified_at,
    )  # fmt: skip


class AlertRepository:
    """Maintenance windows, channels, alerts and their deliveries."""

    def __init__(self, session: Session) -> None:
        self._s = session

    # -- maintenance -----------------------------------------------------------------------
    def add_window(self, w: MaintenanceWindow) -> MaintenanceWindow:
        """Store a window; returns it with its id."""
        result = self._s.execute(
            sa.insert(health_maintenance).values(
                cluster_id=w.cluster_id, start=w.start, duration_seconds=w.duration_seconds,
                recurrence=w.recurrence.value, description=w.description[:300],
            )
        )  # fmt: skip
        return MaintenanceWindow(
            inserted_id(result), w.cluster_id, w.start, w.duration_seconds,
            w.recurrence, w.description,
        )  # fmt: skip

    def windows(self) -> builtins.list[MaintenanceWindow]:
        """Every window."""
        rows = self._s.execute(sa.select(health_maintenance).order_by(health_maintenance.c.id))
        return [
            MaintenanceWindow(
                r.id, r.cluster_id, r.start, r.duration_seconds, Recurrence(r.recurrence),
                r.description,
            )
            for r in rows
        ]  # fmt: skip

    def delete_window(self, window_id: int) -> bool:
        """Remove a window."""
        query = sa.delete(health_maintenance).where(health_maintenance.c.id == window_id)
        return rowcount(self._s.execute(query)) > 0

    # -- channels --------------------------------------------------------------------------
    def add_channel(self, c: Channel) -> Channel:
        """Store a channel; returns it with its id."""
        result = self._s.execute(
            sa.insert(health_channels).values(
                name=c.name, kind=c.kind.value, url=c.url, reminder_seconds=c.reminder_seconds
            )
        )
        return Channel(inserted_id(result), c.name, c.kind, c.url, c.reminder_seconds)

    def channels(self) -> builtins.list[Channel]:
        """Every channel."""
        rows = self._s.execute(sa.select(health_channels).order_by(health_channels.c.id))
        return [Channel(r.id, r.name, ChannelKind(r.kind), r.url, r.reminder_seconds) for r in rows]

    def delete_channel(self, channel_id: int) -> bool:
        """Remove a channel."""
        query = sa.delete(health_channels).where(health_channels.c.id == channel_id)
        return rowcount(self._s.execute(query)) > 0

    # -- alerts ----------------------------------------------------------------------------
    def open_alert(self, group_key: str) -> Alert | None:
        """The unresolved alert of a group, if any."""
        c = health_alerts.c
        row = self._s.execute(
            sa.select(health_alerts).where(c.group_key == group_key, c.resolved_at.is_(None))
        ).first()
        return _alert(row) if row else None

    def add_alert(self, group_key: str, a: Alert) -> Alert:
        """Open an alert."""
        result = self._s.execute(
            sa.insert(health_alerts).values(
                check_id=a.check_id, cluster_id=a.cluster_id, group_key=group_key,
                subject=a.subject[:200], members=json.dumps(list(a.members)),
                opened_at=a.opened_at, resolved_at=None, last_notified_at=a.last_notified_at,
            )
        )  # fmt: skip
        stored = self.get_alert(inserted_id(result))
        assert stored is not None  # just inserted, in this transaction
        return stored

    def update_alert(self, a: Alert) -> Alert:
        """Store an alert's members, subject, resolution and last notice."""
        self._s.execute(
            sa.update(health_alerts).where(health_alerts.c.id == a.id).values(
                subject=a.subject[:200], members=json.dumps(list(a.members)),
                resolved_at=a.resolved_at, last_notified_at=a.last_notified_at,
            )
        )  # fmt: skip
        return a

    def get_alert(self, alert_id: int) -> Alert | None:
        """One alert."""
        row = self._s.execute(
            sa.select(health_alerts).where(health_alerts.c.id == alert_id)
        ).first()
        return _alert(row) if row else None

    def alerts(self, *, open_only: bool = False, limit: int = 200) -> builtins.list[Alert]:
        """Alerts, newest first."""
        query = sa.select(health_alerts)
        if open_only:
            query = query.where(health_alerts.c.resolved_at.is_(None))
        rows = self._s.execute(query.order_by(health_alerts.c.id.desc()).limit(limit))
        return [_alert(r) for r in rows]

    def add_delivery(self, d: Delivery) -> Delivery:
        """Log one notification attempt series."""
        result = self._s.execute(
            sa.insert(health_deliveries).values(
                channel_id=d.channel_id, alert_id=d.alert_id, event=d.event,
                attempts=d.attempts, delivered=d.delivered, error=d.error[:300], at=d.at,
            )
        )  # fmt: skip
        return Delivery(inserted_id(result), d.channel_id, d.alert_id, d.event,
                        d.attempts, d.delivered, d.error, d.at)  # fmt: skip

    def deliveries(self, alert_id: int = 0, limit: int = 200) -> builtins.list[Delivery]:
        """The delivery log, newest first."""
        query = sa.select(health_deliveries)
        if alert_id:
            query = query.where(health_deliveries.c.alert_id == alert_id)
        rows = self._s.execute(query.order_by(health_deliveries.c.id.desc()).limit(limit))
        return [
            Delivery(
                r.id, r.channel_id, r.alert_id, r.event, r.attempts, r.delivered, r.error, r.at
            )
            for r in rows
        ]


class LeaseRepository:
    """Partition leases and server heartbeats (compare-and-set updates: portable and atomic)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def heartbeat(self, owner: str, now: float) -> None:
        """Say this server is alive."""
        c = health_servers.c
        touched = sa.update(health_servers).where(c.owner == owner).values(seen_at=now)
        if rowcount(self._s.execute(touched)) == 0:
            self._s.execute(sa.insert(health_servers).values(owner=owner, seen_at=now))

    def live_servers(self, since: float) -> int:
        """Servers seen since a time."""
        query = (
            sa.select(sa.func.count())
            .select_from(health_servers)
            .where(health_servers.c.seen_at >= since)
        )
        return int(self._s.execute(query).scalar_one())

    def forget(self, owner: str) -> None:
        """A server leaving: its heartbeat and leases go at once."""
        self._s.execute(sa.delete(health_servers).where(health_servers.c.owner == owner))
        self._s.execute(sa.delete(health_leases).where(health_leases.c.owner == owner))

    def leases(self) -> dict[int, tuple[str, float]]:
        """Partition -> (owner, expires_at)."""
        rows = self._s.execute(sa.select(health_leases))
        return {r.partition: (r.owner, r.expires_at) for r in rows}

    def claim(self, partition: int, owner: str, now: float, expires_at: float) -> bool:
        """Take or renew a lease that is free, expired or already ours."""
        c = health_leases.c
        updated = rowcount(
            self._s.execute(
                sa.update(health_leases)
                .where(c.partition == partition, sa.or_(c.owner == owner, c.expires_at < now))
                .values(owner=owner, expires_at=expires_at)
            )
        )
        if updated:
            return True
        if partition in self.leases():
            return False
        try:
            with self._s.begin_nested():
                self._s.execute(
                    sa.insert(health_leases).values(
                        partition=partition, owner=owner, expires_at=expires_at
                    )
                )
        except sa.exc.IntegrityError:
            return False  # another server inserted it first
        return True

    def release(self, partition: int, owner: str) -> None:
        """Give one lease up."""
        c = health_leases.c
        self._s.execute(sa.delete(health_leases).where(c.partition == partition, c.owner == owner))
