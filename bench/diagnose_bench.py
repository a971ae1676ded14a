"""Diagnose on a 100-droplet cluster with 24 h of samples (SQLite): time to the first step, the
first finding, the first token and the whole answer (mock pace 0), beside the bare reads the
analyzers need, measured in the same run. Targets: first finding < 1 s, first token < 0.5 s
after the findings.

    python -m bench.diagnose_bench [--hours 24] [--droplets 100]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.db import ClusterRepository, Database, DropletRepository
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.domain.diagnosis import AnswerToken, FindingsReady, StepTaken, Target
from clustergenie_server.domain.models import DropletStatus
from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState
from clustergenie_server.llm.mock_provider import MockProvider
from clustergenie_server.services.diagnosis.collect import WindowReader
from clustergenie_server.services.diagnosis.investigation import Investigation, Question
from clustergenie_server.services.diagnosis.remedies import RemedyPlanner
from clustergenie_server.services.diagnosis.sources import NullHealthReader, NullLogReader
from clustergenie_server.simulation.catalog import DEFAULT_CATALOG
from clustergenie_server.simulation.engine import (
    ClusterInfo,
    DropletInfo,
    SimulationEngine,
    TickResult,
)

TICK = 10.0


def populate(db: Database, droplets: int, hours: float) -> tuple[int, int, float]:
    """A cluster with `droplets` active droplets and `hours` of samples; a memory leak on one
    droplet in the last 20 minutes. Returns (cluster id, leaking droplet id, end time)."""
    now = datetime.now(UTC)
    cluster = db.run_sync(
        lambda s: ClusterRepository(s).add(
            name="big", region="nyc1", size="s-2vcpu-2gb", image="ubuntu-24-04-x64",
            tags=(f"rps:{droplets * 80}", "traffic:flat"), now=now,
        )
    )  # fmt: skip
    made = db.run_sync(
        lambda s: DropletRepository(s).add_many(
            cluster_id=cluster.id, names=[f"big-{i + 1}" for i in range(droplets)],
            region="nyc1", size="s-2vcpu-2gb", image="ubuntu-24-04-x64", now=now,
        )
    )  # fmt: skip

    def activate(s: Session) -> None:
        for d in made:
            DropletRepository(s).update(d.id, now=now, status=DropletStatus.ACTIVE)

    db.run_sync(activate)
    engine = SimulationEngine(5, DEFAULT_CATALOG, tick_seconds=TICK, bursts_per_day=0.0)
    engine.set_inventory(
        [ClusterInfo(cluster.id, cluster.tags)],
        [DropletInfo(d.id, cluster.id, d.size) for d in made],
    )
    end = float(int(time.time() // TICK) * TICK)
    start = end - hours * 3600.0
    leak = made[len(made) // 2]
    at = datetime.fromtimestamp(end - 1200.0, UTC)
    engine.set_faults([
        Fault(1, FaultKind.MEMORY_LEAK, cluster.id, leak.id, 1.5, at, 0.0, FaultState.ACTIVE,
              None, "", at)
    ])  # fmt: skip
    batch: list[TickResult] = []
    t = start
    while t < end:
        batch.append(engine.tick(t))
        t += TICK
        if len(batch) == 60 or t >= end:
            ts = np.concatenate([np.full(len(r.droplet_ids) + 1, r.t) for r in batch])
            cs = np.concatenate([np.full(len(r.droplet_ids) + 1, cluster.id) for r in batch])
            ds = np.concatenate([np.concatenate([[0], r.droplet_ids]) for r in batch])
            vs = np.vstack([np.vstack([r.cluster_values, r.droplet_values]) for r in batch])
            insert(db, ts, cs, ds, vs)
            batch = []
    return cluster.id, leak.id, end


def insert(db: Database, *arrays: np.ndarray) -> None:
    """One batch of sample rows."""
    db.run_sync(lambda s: MetricRepository(s).insert(*arrays))


async def measure(db: Database, cluster_id: int, end: float, window: float) -> dict[str, float]:
    """One investigation's milestones, and the bare reads beside them (seconds)."""
    reader = WindowReader(db, DEFAULT_CATALOG, NullHealthReader(), NullLogReader())
    t0 = time.perf_counter()
    inventory = await reader.inventory(cluster_id)
    ids = [d.target.droplet_id for d in inventory.droplets]
    await reader.samples(cluster_id, ids, end - 2 * window, end)
    await reader.events(cluster_id, end - 2 * window)
    bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    inventory = await reader.inventory(cluster_id)
    q = Question(Target(cluster_id, 0, inventory.cluster.name), "what is wrong?", end - window, end)
    run = Investigation(q, inventory, reader, MockProvider(pace_seconds=0.0),
                        RemedyPlanner(DEFAULT_CATALOG), 12)  # fmt: skip
    marks: dict[str, float] = {}
    async for event in run.run():
        now = time.perf_counter() - t0
        if isinstance(event, StepTaken):
            marks.setdefault("first step", now)
        elif isinstance(event, FindingsReady):
            marks.setdefault("first finding", now)
            root = event.analysis.root
            marks["root is the leak"] = float(
                root is not None and root.cause.kind.value == "memory_leak"
            )
        elif isinstance(event, AnswerToken):
            marks.setdefault("first token", now)
    marks["whole answer"] = time.perf_counter() - t0
    marks["bare reads"] = bare
    return marks


def main() -> None:
    """Populate, measure, print the table."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--hours", type=float, default=24.0)
    p.add_argument("--droplets", type=int, default=100)
    p.add_argument("--window", type=float, default=3600.0)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.connect(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.migrate()
        t0 = time.perf_counter()
        cluster_id, _, end = populate(db, args.droplets, args.hours)
        print(f"populated {args.droplets} droplets x {args.hours:g} h in "
              f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
        marks = asyncio.run(measure(db, cluster_id, end, args.window))
        db.close()
    ref = marks["bare reads"]
    after = marks["first token"] - marks["first finding"]
    print("| figure | seconds | reference (bare reads) | target |")
    print("|---|---|---|---|")
    for name, target in (("first step", ""), ("first finding", "< 1 s"), ("first token", ""),
                         ("whole answer", "")):  # fmt: skip
        print(f"| {name} | {marks[name]:.3f} | {ref:.3f} | {target} |")
    print(f"| first token after findings | {after:.3f} | | < 0.5 s |")
    print(f"| root cause is the injected leak | {bool(marks['root is the leak'])} | | |")


if __name__ == "__main__":
    main()
