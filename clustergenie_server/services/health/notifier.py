"""Alert notices through channels: the desktop (an event every GUI's WatchHealth shows in the
status bar and as a system notification) and HTTP webhooks (a JSON POST, retried with backoff),
each attempt series written to the delivery log. Reminders repeat open alerts per channel.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from clustergenie_server.db import Database
from clustergenie_server.db.health_alert_repository import AlertRepository
from clustergenie_server.domain.health import Alert, Channel, ChannelKind, Delivery, HttpSpec
from clustergenie_server.services.health.real_http import http_probe

log = logging.getLogger(__name__)

WEBHOOK_ATTEMPTS = 4
WEBHOOK_TIMEOUT_SECONDS = 5.0
BACKOFF_SECONDS = (0.2, 0.5, 1.0)

Sleep = Callable[[float], Awaitable[None]]


def payload(alert: Alert, notice: str) -> dict[str, Any]:
    """The JSON body of a webhook notice."""
    return {
        "notice": notice,
        "alert_id": alert.id,
        "check_id": alert.check_id,
        "cluster_id": alert.cluster_id,
        "subject": alert.subject,
        "members": list(alert.members),
        "opened_at": alert.opened_at,
        "resolved_at": alert.resolved_at,
    }


class Notifier:
    """Delivers notices; one webhook's failures never hold up another channel."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._db, self._clock, self._sleep = db, clock, sleep

    async def notify(self, alert: Alert, notice: str) -> list[Delivery]:
        """Send a notice through every channel; returns the delivery log entries written."""
        channels = await self._db.read(lambda s: AlertRepository(s).channels())
        results = await asyncio.gather(*(self._deliver(c, alert, notice) for c in channels))
        if notice != "resolved":
            touched = replace(alert, last_notified_at=self._clock())
            await self._db.run(lambda s: AlertRepository(s).update_alert(touched))
        return list(results)

    async def remind(self, now: float) -> int:
        """Send reminders of open alerts whose channels' reminder interval passed; how many."""
        channels = await self._db.read(lambda s: AlertRepository(s).channels())
        every = [c.reminder_seconds for c in channels if c.reminder_seconds > 0]
        if not every:
            return 0
        alerts = await self._db.read(lambda s: AlertRepository(s).alerts(open_only=True))
        due = [a for a in alerts if now - max(a.last_notified_at, a.opened_at) >= min(every)]
        for alert in due:
            await self.notify(alert, "reminder")
        return len(due)

    async def _deliver(self, channel: Channel, alert: Alert, notice: str) -> Delivery:
        attempts, error, delivered = 0, "", False
        if channel.kind is ChannelKind.DESKTOP:
            attempts, delivered = 1, True  # the HealthChanged event is the desktop's notice
        else:
            for attempt in range(WEBHOOK_ATTEMPTS):
                attempts = attempt + 1
                error = await self._post(channel.url, payload(alert, notice))
                if not error:
                    delivered = True
                    break
                if attempt < len(BACKOFF_SECONDS):
                    await self._sleep(BACKOFF_SECONDS[attempt])
        entry = Delivery(0, channel.id, alert.id, notice, attempts, delivered, error, self._clock())
        if not delivered:
            log.warning("webhook %s: %s after %d attempts", channel.name, error, attempts)
        return await self._db.run(lambda s: AlertRepository(s).add_delivery(entry))

    async def _post(self, url: str, body: dict[str, Any]) -> str:
        """'' when the receiver took it (2xx), else why not (the probes' own HTTP client)."""
        spec = HttpSpec(
            method="POST",
            headers=(("Content-Type", "application/json"),),
            body=json.dumps(body),
            follow_redirects=False,
        )
        answer = await http_probe(url, spec, WEBHOOK_TIMEOUT_SECONDS)
        if not answer.connected:
            return answer.error
        return "" if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"

    async def aclose(self) -> None:
        """Nothing to close: each delivery has its own connection."""
