"""Health scheduling: 1,000 checks at 1 s intervals on the embedded default (SQLite).

Runs the real Scheduler and HealthService (simulated droplet targets, results written in
batches) for a while and reports rounds per second, start drift p50/p99 and the CPU it costs,
beside a reference of the same number of bare asyncio timers re-armed every interval in the
same process. Run: `python -m bench.health_bench [--checks 1000] [--seconds 10]`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench.report import Row, format_table
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository
from clustergenie_server.db.health_repository import ResultRepository
from clustergenie_server.domain.health import CheckDefinition, CheckKind, TargetKind
from clustergenie_server.domain.models import DropletStatus
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.health.scheduler import Scheduler
from clustergenie_server.services.provisioning.inventory_view import InventoryView


def _fleet(db: Database, droplets: int) -> list[int]:
    """One cluster of active droplets; returns their ids."""
    now = datetime.now(UTC)

    def add(s: object) -> list[int]:
        cluster = ClusterRepository(s).add(  # type: ignore[arg-type]
            name="bench", region="nyc1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
            tags=(), now=now,
        )  # fmt: skip
        repo = DropletRepository(s)  # type: ignore[arg-type]
        made = repo.add_many(
            cluster_id=cluster.id, names=[f"d-{i}" for i in range(droplets)], region="nyc1",
            size="s-1vcpu-1gb", image="ubuntu-24-04-x64", now=now,
        )  # fmt: skip
        for d in made:
            repo.update(d.id, now=now, status=DropletStatus.ACTIVE, locked=False)
        return [d.id for d in made]

    return db.run_sync(add)


async def scheduler_figures(folder: Path, checks: int, seconds: float) -> dict[str, float]:
    """Run `checks` 1 s checks for `seconds`; drift (ms), rounds/s, CPU share, results stored."""
    db = Database.connect(f"sqlite:///{folder / 'health.sqlite'}")
    db.migrate()
    ids = _fleet(db, checks)
    bus = InProcessEventBus()
    outbox = Outbox(db, bus, owner="bench")
    service = HealthService(
        db, outbox, InventoryView(db, bus), regions=["nyc1"], faults=lambda: (),
        sim_now=time.time,
    )  # fmt: skip
    for n, droplet_id in enumerate(ids):
        await service.create_check(
            CheckDefinition(
                0, f"c-{n}", CheckKind.HTTP, TargetKind.DROPLET, target_id=droplet_id,
                interval_seconds=1.0, timeout_seconds=0.5, conditions="[STATUS] == 200",
            )
        )  # fmt: skip
    await service.start()
    scheduler = Scheduler(lambda: service.checks, service.run_round, None)
    await scheduler.start()
    await asyncio.sleep(2.0)  # the first rounds start together; measure the steady state
    scheduler.drift.clear()
    rounds, cpu, wall = scheduler.rounds, time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    rounds, cpu = scheduler.rounds - rounds, time.process_time() - cpu
    wall = time.perf_counter() - wall
    p50, p99 = scheduler.drift_percentiles()
    await scheduler.stop()
    await service.stop()
    stored = await db.read(lambda s: ResultRepository(s).count())
    await db.aclose()
    return {"p50": p50, "p99": p99, "rate": rounds / wall, "cpu": 100 * cpu / wall,
            "stored": stored}  # fmt: skip


async def timer_figures(timers: int, seconds: float) -> dict[str, float]:
    """The reference: bare asyncio timers re-armed every second, each doing nothing."""
    loop = asyncio.get_running_loop()
    drift: list[float] = []
    fired = [0]
    measuring = [False]

    def fire(due: float) -> None:
        now = loop.time()
        if measuring[0]:
            drift.append(now - due)
            fired[0] += 1
        loop.call_at(due + 1.0, fire, due + 1.0)

    start = loop.time() + 0.1
    for i in range(timers):
        due = start + i / timers  # spread like the checks' first rounds settle
        loop.call_at(due, fire, due)
    await asyncio.sleep(2.0)
    measuring[0] = True
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    measuring[0] = False
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    p50, p99 = np.percentile(drift, [50, 99]).tolist() if drift else (0.0, 0.0)
    return {"p50": p50 * 1000, "p99": p99 * 1000, "rate": fired[0] / wall, "cpu": 100 * cpu / wall}


def rows(checks: int, seconds: float) -> list[Row]:
    """The figures, each beside the bare-timer reference."""
    with tempfile.TemporaryDirectory() as tmp:
        ours = asyncio.run(scheduler_figures(Path(tmp), checks, seconds))
    ref = asyncio.run(timer_figures(checks, seconds))
    label = f"{checks} bare asyncio timers"
    return [
        Row(f"health: {checks} checks @1 s, rounds", ours["rate"], ref["rate"], "/s", label),
        Row("health: start drift p50", ours["p50"], ref["p50"], "ms", label),
        Row("health: start drift p99", ours["p99"], ref["p99"], "ms", label),
        Row("health: CPU of one core", ours["cpu"], ref["cpu"], "%", label),
        Row("health: results stored", ours["stored"], None, ""),
    ]


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(format_table(rows(args.checks, args.seconds), "Health scheduling (SQLite)"))  # noqa: T201


if __name__ == "__main__":
    main()
