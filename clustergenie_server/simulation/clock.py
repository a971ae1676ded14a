"""The simulation clock: simulated time that runs time_scale times faster than the wall clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime


class SimClock:
    """Simulated Unix seconds: `origin` at creation, then time_scale × the monotonic wall time."""

    def __init__(
        self,
        time_scale: float,
        *,
        origin: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.time_scale = time_scale
        self._monotonic, self._wall = monotonic, wall
        self._wall_start = monotonic()
        # Real time by default, so that at scale 1 simulated time is the time of day.
        self._origin = time.time() if origin is None else origin

    def now(self) -> float:
        """Simulated now, in Unix seconds."""
        return self._origin + (self._monotonic() - self._wall_start) * self.time_scale

    def now_datetime(self) -> datetime:
        """Simulated now, as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), UTC)

    def wall_seconds(self, simulated_seconds: float) -> float:
        """How long a simulated duration takes on the wall clock."""
        return simulated_seconds / self.time_scale

    def simulated_at(self, wall: float) -> float:
        """The simulated time of a wall-clock Unix time (as of now: both clocks read once)."""
        return self.now() - (self._wall() - wall) * self.time_scale

    def wall_at(self, simulated: float) -> float:
        """The wall-clock Unix time of a simulated time (the inverse of simulated_at)."""
        return self._wall() - (self.now() - simulated) / self.time_scale

    async def sleep_until(self, simulated: float) -> None:
        """Sleep until the simulated clock reaches `simulated`."""
        delay = self.wall_seconds(simulated - self.now())
        if delay > 0:
            await asyncio.sleep(delay)


def as_datetime(simulated: float) -> datetime:
    """Simulated Unix seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(simulated, UTC)
