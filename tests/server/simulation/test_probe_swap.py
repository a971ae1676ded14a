"""A leaking droplet answers probes normally until its memory is nearly full, then swaps."""

from __future__ import annotations

from datetime import UTC, datetime

from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState
from clustergenie_server.simulation.probe_answer import (
    MEMORY_FLOOR_PERCENT,
    SWAP_MS,
    SWAP_PERCENT,
    answer,
)

START = 1_800_000_000.0


def _leak(rate: float) -> Fault:
    start = datetime.fromtimestamp(START, UTC)
    return Fault(
        id=1, kind=FaultKind.MEMORY_LEAK, cluster_id=1, droplet_id=7, magnitude=rate,
        start_at=start, duration_seconds=0, state=FaultState.ACTIVE, description="leak",
        created_at=start, ended_at=None,
    )  # fmt: skip


def _latency(faults: list[Fault], t: float, droplet_id: int = 7) -> float:
    a = answer(faults, t, droplet_id=droplet_id, cluster_id=1, region="nyc1", location="nyc1")
    assert a.status_code == 200
    return a.latency_ms


def test_a_leak_slows_answers_once_memory_passes_the_swap_point() -> None:
    leak = _leak(3.0)  # percent of memory a minute
    minutes_to_swap = (SWAP_PERCENT - MEMORY_FLOOR_PERCENT) / 3.0
    healthy = _latency([], START + 3600)
    assert _latency([leak], START + (minutes_to_swap - 1) * 60) == healthy
    assert _latency([leak], START + (minutes_to_swap + 1) * 60) == healthy + SWAP_MS
    assert _latency([leak], START + 3600, droplet_id=8) == _latency([], START + 3600, 8)
