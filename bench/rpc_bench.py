"""Unary load: N asyncio tasks on one grpc.aio channel call a method back to back for a while."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bench.report import median, percentile

Call = Callable[[], Awaitable[object]]
RPC_DEADLINE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class UnaryResult:
    """Calls per second and latency percentiles of one timed round."""

    rate: float
    p50_ms: float
    p99_ms: float
    calls: int


@dataclass(frozen=True, slots=True)
class Plan:
    """How long to warm up and measure, and how many timed rounds to take the median of."""

    warmup_seconds: float
    round_seconds: float
    rounds: int


async def run_round(call: Call, concurrency: int, seconds: float) -> UnaryResult:
    """Every task calls until the deadline; the rate counts calls over the whole round."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        while (start := time.perf_counter()) < deadline:
            await call()
            latencies.append(time.perf_counter() - start)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return UnaryResult(
        rate=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 0.50) * 1e3,
        p99_ms=percentile(latencies, 0.99) * 1e3,
        calls=len(latencies),
    )


async def compare(
    ours: Call, reference: Call, concurrency: int, plan: Plan
) -> tuple[UnaryResult, UnaryResult]:
    """Warm both up, then alternate timed rounds so drift hits both alike; medians of each."""
    await run_round(ours, concurrency, plan.warmup_seconds)
    await run_round(reference, concurrency, plan.warmup_seconds)
    rounds: dict[str, list[UnaryResult]] = {"ours": [], "reference": []}
    for _ in range(plan.rounds):
        rounds["ours"].append(await run_round(ours, concurrency, plan.round_seconds))
        rounds["reference"].append(await run_round(reference, concurrency, plan.round_seconds))
    return _median_result(rounds["ours"]), _median_result(rounds["reference"])


def _median_result(results: list[UnaryResult]) -> UnaryResult:
    return UnaryResult(
        rate=median([r.rate for r in results]),
        p50_ms=median([r.p50_ms for r in results]),
        p99_ms=median([r.p99_ms for r in results]),
        calls=sum(r.calls for r in results),
    )
