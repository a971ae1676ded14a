"""Results are kept for the retention, then deleted in batches."""

from __future__ import annotations

from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.db.health_repository import ResultRepository
from clustergenie_server.domain.health import CheckResult, Outcome
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.provisioning.inventory_view import InventoryView

DAY = 86_400.0


async def test_results_older_than_the_retention_are_deleted(database: Database) -> None:
    now = 100 * DAY
    old = [
        CheckResult(1, "droplet:1", "nyc1", now - 3 * DAY + i, Outcome.PASS, 5.0, True)
        for i in range(7)
    ]
    new = [
        CheckResult(1, "droplet:1", "nyc1", now - DAY + i, Outcome.PASS, 5.0, True)
        for i in range(3)
    ]
    await database.run(lambda s: ResultRepository(s).insert(old + new))
    bus = InProcessEventBus()
    service = HealthService(
        database, Outbox(database, bus, owner="t"), InventoryView(database, bus),
        regions=["nyc1"], faults=lambda: (), sim_now=lambda: now, clock=lambda: now,
        retention_hours=48.0,
    )  # fmt: skip
    assert await service.apply_retention() == 7
    kept = await service.recent_results("droplet:1", 0.0, now)
    assert [r.at for r in kept] == [r.at for r in new]
