"""Runs checks on their schedule on the server, GUI or not; measures the drift.

One loop and a heap of due times (not a task per check): a thousand checks at 1 s cost one
timer wake-up per due instant. Each due check's round runs as its own task, bounded by
MAX_IN_FLIGHT, so a slow probe never delays another check. The next due time is scheduled
from the previous one (not from when the round ended), so the schedule does not creep.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

import numpy as np

from clustergenie_server.domain.health import CheckDefinition
from clustergenie_server.services.health.partitions import RENEW_SECONDS, PartitionLeases

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 2000
DRIFT_SAMPLES = 20_000
RELOAD_SECONDS = 5.0
DRIFT_REPORT_SECONDS = 60.0  # the drift goes to the log, measured rather than hoped for
SPREAD = 0.6180339887  # the golden ratio's fraction: ids 1, 2, 3... land far apart in [0, 1)
MAX_SPREAD_SECONDS = 10.0  # a daily check still runs soon after it is created

RunRound = Callable[[CheckDefinition, float], Awaitable[object]]
# When each check's last round was due (from the stored results): a server taking a check over
# continues its schedule rather than running it again at once.
LastRuns = Callable[[list[int]], Awaitable[dict[int, float]]]


class Scheduler:
    """Starts each owned, unpaused check every interval."""

    def __init__(
        self,
        checks: Callable[[], dict[int, CheckDefinition]],
        run_round: RunRound,
        leases: PartitionLeases | None,
        *,
        reload: Callable[[], Awaitable[None]] | None = None,
        last_runs: LastRuns | None = None,
        flush: Callable[[], Awaitable[object]] | None = None,
        forget: Callable[[int], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._checks, self._run, self._leases, self._reload = checks, run_round, leases, reload
        self._last_runs, self._flush, self._forget = last_runs, flush, forget
        self._clock = clock
        self._due: list[tuple[float, int]] = []
        self._scheduled: dict[int, float] = {}
        self._in_flight: set[asyncio.Task[object]] = set()
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.drift: deque[float] = deque(maxlen=DRIFT_SAMPLES)  # seconds late at start
        self.rounds = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()

    async def start(self) -> None:
        """Take leases and start the loops."""
        if self._leases is not None:
            await self._leases.renew(self._flush)
        self._tasks = [asyncio.create_task(self._loop(), name="health-scheduler")]
        self._tasks.append(asyncio.create_task(self._maintain(), name="health-leases"))

    async def stop(self) -> None:
        """Stop starting rounds, let running ones end, give the leases up."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=5.0)
        if self._leases is not None:
            with contextlib.suppress(Exception):
                await self._leases.release()

    def poke(self) -> None:
        """Re-read the definitions now (one was added or changed)."""
        self._wake.set()

    def drift_percentiles(self) -> tuple[float, float]:
        """(p50, p99) of start drift in milliseconds."""
        if not self.drift:
            return 0.0, 0.0
        p50, p99 = np.percentile(np.fromiter(self.drift, float), [50, 99])
        return float(p50) * 1000.0, float(p99) * 1000.0

    async def _sync(self) -> None:
        """Schedule new checks, drop deleted, paused or unowned ones."""
        checks = self._checks()
        for check_id in list(self._scheduled):
            c = checks.get(check_id)
            if c is None or c.paused or not self._owns(check_id):
                del self._scheduled[check_id]
                if self._forget is not None and c is not None and not self._owns(check_id):
                    # Another server runs it now: its streaks here would go stale.
                    self._forget(check_id)
        new = [
            c for check_id, c in checks.items()
            if check_id not in self._scheduled and not c.paused and self._owns(check_id)
        ]  # fmt: skip
        if not new:
            return
        last = await self._last_runs([c.id for c in new]) if self._last_runs else {}
        now = self._clock()
        for c in new:
            # Spread over one interval by id (as Prometheus offsets scrapes): a thousand checks
            # created together must not all start in the same millisecond every interval.
            due = now + (c.id * SPREAD) % 1.0 * min(c.interval_seconds, MAX_SPREAD_SECONDS)
            if (before := last.get(c.id)) is not None:
                due = max(now, before + c.interval_seconds)
            self._scheduled[c.id] = due
            heapq.heappush(self._due, (due, c.id))

    def _owns(self, check_id: int) -> bool:
        return self._leases is None or self._leases.owns(check_id)

    async def _loop(self) -> None:
        await self._sync()
        while True:
            now = self._clock()
            while self._due and self._due[0][0] <= now:
                due, check_id = heapq.heappop(self._due)
                if self._scheduled.get(check_id) != due:
                    continue  # dropped or rescheduled
                check = self._checks().get(check_id)
                if check is None or check.paused or not self._owns(check_id):
                    self._scheduled.pop(check_id, None)
                    continue
                self.drift.append(now - due)
                nxt = due + check.interval_seconds
                if nxt <= now:  # fell behind by a whole interval: skip, never replay
                    nxt = now + check.interval_seconds
                self._scheduled[check_id] = nxt
                heapq.heappush(self._due, (nxt, check_id))
                self._start_round(check, due)
            delay = (self._due[0][0] - self._clock()) if self._due else RELOAD_SECONDS
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, min(delay, RELOAD_SECONDS)))
            if self._wake.is_set():
                self._wake.clear()
                try:
                    await self._sync()
                except Exception:  # the database away: keep running what is scheduled
                    log.exception("reading health schedules failed; retrying")

    def _start_round(self, check: CheckDefinition, due: float) -> None:
        async def run() -> object:
            async with self._slots:
                try:
                    return await self._run(check, due)
                except Exception:  # one broken check must not stop the others
                    log.exception("health check %d round failed", check.id)
                    return None

        task = asyncio.create_task(run())
        self.rounds += 1
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _maintain(self) -> None:
        """Renew leases and re-read definitions (changes made on other servers)."""
        last_reload = last_report = time.monotonic()
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            if time.monotonic() - last_report >= DRIFT_REPORT_SECONDS and self.drift:
                last_report = time.monotonic()
                p50, p99 = self.drift_percentiles()
                log.info(
                    "health scheduler: %d checks scheduled, %d rounds so far, start drift "
                    "p50 %.1f ms p99 %.1f ms", len(self._scheduled), self.rounds, p50, p99,
                )  # fmt: skip
            try:
                if self._leases is not None:
                    await self._leases.renew(self._flush)
                if self._reload is not None and time.monotonic() - last_reload >= RELOAD_SECONDS:
                    last_reload = time.monotonic()
                    await self._reload()
                self._wake.set()
            except Exception:
                log.exception("renewing health leases failed; retrying")
