"""Timings and failures of droplet actions in the simulated cloud; no real cloud API is called.

SimulatedCloud is the cloud jobs see (services.jobs.job_cloud.JobCloud).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from clustergenie_server.settings import SimulationSettings
from clustergenie_server.simulation.catalog import DEFAULT_CATALOG, Catalog

ProgressCallback = Callable[[float], Awaitable[None]]

# Provisions fail the way real ones do: some errors go away on a retry, some do not.
_TRANSIENT_FAILURES = (
    "no capacity left for this size in {region}; the provider asked to try again",
    "the hypervisor did not answer while creating the droplet",
    "timed out waiting for the droplet's network interface",
)
_PERMANENT_FAILURES = (
    "the image {image} failed its boot check (kernel panic on first boot)",
    "the droplet's disk could not be attached: volume quota exceeded in {region}",
)


@dataclass(frozen=True, slots=True)
class FailurePlan:
    """Whether a provision attempt fails, and how."""

    message: str
    retryable: bool


class SimulatedCloud:
    """Decides how long actions take and which provisions fail, from settings and a seed."""

    def __init__(self, settings: SimulationSettings, catalog: Catalog = DEFAULT_CATALOG) -> None:
        self.settings = settings
        self.catalog = catalog
        self._rng = random.Random(settings.seed)

    def seconds(self, simulated: float) -> float:
        """Wall-clock seconds that a simulated duration takes at the configured time scale."""
        return simulated / self.settings.time_scale

    async def work(
        self, simulated_seconds: float, on_progress: ProgressCallback, *, report_every: float = 0.5
    ) -> None:
        """Wait out one step, reporting its fraction done at most every `report_every` seconds."""
        total = self.seconds(simulated_seconds)
        start = time.monotonic()
        while (elapsed := time.monotonic() - start) < total:
            await on_progress(min(elapsed / total, 1.0))
            await asyncio.sleep(min(report_every, total - elapsed))
        await on_progress(1.0)

    def provision_failure(self, *, region: str, image: str) -> FailurePlan | None:
        """Roll the dice for one provision attempt."""
        if self._rng.random() >= self.settings.failure_rate:
            return None
        retryable = self._rng.random() < 0.7
        pool = _TRANSIENT_FAILURES if retryable else _PERMANENT_FAILURES
        message = self._rng.choice(pool).format(region=region, image=image)
        return FailurePlan(message, retryable)

    def ip_address(self, droplet_id: int) -> str:
        """A stable, made-up public address for a droplet (only ever displayed)."""
        return f"203.0.{(droplet_id >> 8) % 256}.{droplet_id % 256}"
