"""Feeds the simulated logs: every tick of the telemetry runner becomes the droplets' lines."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Collection, Sequence
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.models import ClusterRow, DropletRow
from clustergenie_server.domain.telemetry import Fault
from clustergenie_server.services.logs.generator import LogGenerator
from clustergenie_server.services.logs.pipeline import LogPipeline
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner
from clustergenie_server.simulation.engine import TickResult

log = logging.getLogger(__name__)

NAMES_EVERY_SECONDS = 2.0  # wall: names of new clusters and droplets show within this


def read_names(s: Session) -> dict[int, str]:
    """Droplet names by id and cluster names by negated id (the generator's labels)."""
    names = {int(i): str(n) for i, n in s.execute(sa.select(DropletRow.id, DropletRow.name))}
    names.update({-int(i): str(n) for i, n in s.execute(sa.select(ClusterRow.id, ClusterRow.name))})
    return names


def deployed_faults(
    bad_deploys: Sequence[Fault], defective: Collection[int], tick: TickResult
) -> list[Fault]:
    """Each bad deploy as a fault of each droplet that runs its defective version by now.

    A bad deploy reaches droplets as its rollout does and leaves them with a rollback, so its
    lines (the new version, the tracebacks) are those droplets' only, as its errors are.
    """
    out: list[Fault] = []
    for droplet_id, cluster_id in zip(
        tick.droplet_ids.tolist(), tick.droplet_cluster_ids.tolist(), strict=True
    ):
        if droplet_id not in defective:
            continue
        for fault in bad_deploys:
            if fault.cluster_id == cluster_id and fault.droplet_id in (None, droplet_id):
                out.append(replace(fault, droplet_id=droplet_id))
    return out


class SimulatedLogs:
    """Subscribes to the simulation's ticks and accepts each tick's lines into the pipeline."""

    def __init__(
        self, db: Database, runner: TelemetryRunner, pipeline: LogPipeline, generator: LogGenerator
    ) -> None:
        self._db, self._runner, self._pipeline, self._gen = db, runner, pipeline, generator
        self._names: dict[int, str] = {}
        self._names_read = 0.0
        self._task: asyncio.Task[None] | None = None
        self.ticks = 0

    async def start(self) -> None:
        """Start following the ticks."""
        self._task = asyncio.create_task(self._run(), name="simulated-logs")

    async def stop(self) -> None:
        """Stop following."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        queue = self._runner.subscribe()
        try:
            while True:
                tick = await queue.get()
                await self._refresh_names()
                try:
                    engine = self._runner.engine
                    dt = engine.tick_seconds
                    deployed = deployed_faults(
                        self._runner.bad_deploys, engine.version_errors.keys(), tick
                    )
                    faults = [*engine.faults, *deployed]
                    lines = self._gen.tick(
                        tick, dt, dt / self._runner.clock.time_scale, faults, self._names
                    )
                    self._pipeline.accept(lines)
                    self.ticks += 1
                except Exception:  # one bad tick must not stop the logs
                    log.exception("simulated logs of the tick at %.0f failed", tick.t)
        finally:
            self._runner.unsubscribe(queue)

    async def _refresh_names(self) -> None:
        if time.monotonic() - self._names_read < NAMES_EVERY_SECONDS:
            return
        self._names_read = time.monotonic()
        try:
            self._names = await self._db.read(read_names)
        except Exception as exc:  # keep the old names: lines still flow
            log.warning("simulated logs: cannot read names (%s); keeping the old ones", exc)
