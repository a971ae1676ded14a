"""A webhook receiver that fails twice then accepts gets the alert exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from clustergenie_server.db import Database
from clustergenie_server.db.health_alert_repository import AlertRepository
from clustergenie_server.domain.health import Alert, Channel, ChannelKind
from clustergenie_server.services.health.notifier import Notifier


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[int], list[dict[str, object]]]]:
    """(url, statuses answered, bodies accepted): 500 twice, then 204."""
    statuses: list[int] = []
    accepted: list[dict[str, object]] = []

    async def hook(request: web.Request) -> web.Response:
        status = 500 if len(statuses) < 2 else 204
        statuses.append(status)
        if status == 204:
            accepted.append(await request.json())
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/hook", statuses, accepted
    await runner.cleanup()


async def test_retries_until_delivered_once(
    database: Database, receiver: tuple[str, list[int], list[dict[str, object]]]
) -> None:
    url, statuses, accepted = receiver
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)  # the backoff asked for, without sleeping in the test

    await database.run(
        lambda s: AlertRepository(s).add_channel(Channel(0, "ops", ChannelKind.WEBHOOK, url))
    )
    alert = await database.run(
        lambda s: AlertRepository(s).add_alert(
            "1:cluster:3",
            Alert(
                0, 1, 3, "web-http: 2 of 2 droplets unhealthy", ("droplet:1", "droplet:2"), 100.0
            ),
        )
    )
    notifier = Notifier(database, clock=lambda: 200.0, sleep=no_wait)
    try:
        (delivery,) = await notifier.notify(alert, "opened")
    finally:
        await notifier.aclose()
    assert statuses == [500, 500, 204]
    assert len(accepted) == 1
    assert accepted[0]["members"] == ["droplet:1", "droplet:2"]
    assert accepted[0]["notice"] == "opened"
    assert (delivery.attempts, delivery.delivered) == (3, True)
    assert waits == [0.2, 0.5]
    log = await database.read(lambda s: AlertRepository(s).deliveries(alert.id))
    assert [(d.event, d.attempts, d.delivered) for d in log] == [("opened", 3, True)]


async def test_reminders_repeat_open_alerts_after_the_interval(
    database: Database, receiver: tuple[str, list[int], list[dict[str, object]]]
) -> None:
    url, statuses, accepted = receiver
    statuses.extend([204, 204])  # the receiver accepts from now on
    channel = Channel(0, "ops", ChannelKind.WEBHOOK, url, reminder_seconds=600.0)
    await database.run(lambda s: AlertRepository(s).add_channel(channel))
    alert = Alert(0, 1, 3, "web-http: droplet:1 unhealthy", ("droplet:1",), 1000.0, None, 1000.0)
    await database.run(lambda s: AlertRepository(s).add_alert("1:droplet:1", alert))
    now = [1500.0]
    notifier = Notifier(database, clock=lambda: now[0])
    try:
        assert await notifier.remind(now[0]) == 0  # 500 s since the last notice: not yet
        now[0] = 1700.0
        assert await notifier.remind(now[0]) == 1
        assert await notifier.remind(now[0]) == 0  # reminded just now
    finally:
        await notifier.aclose()
    assert [b["notice"] for b in accepted] == ["reminder"]
