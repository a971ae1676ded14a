"""How a simulated droplet answers a probe, given the faults acting on it (pure, no I/O).

A crash-looping droplet refuses connections (its service restarts over and over; the host
still answers ping), a partition drops every packet (the probe times out), a latency fault
adds its milliseconds, a bad deploy answers 5xx at its error rate, a full disk fails writes
(POST/PUT/PATCH/DELETE get 507), a CPU hog slows answers and a memory leak, once memory is
nearly full, makes the droplet swap: every answer is SWAP_MS slower. A probe from a region far from
the droplet's pays the distance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from clustergenie_server.domain.telemetry import Fault, FaultKind

# Round-trip milliseconds between regions, by continent: near, same continent, across.
_CONTINENT = {
    "nyc1": "na", "nyc2": "na", "nyc3": "na", "sfo3": "na", "tor1": "na",
    "ams3": "eu", "fra1": "eu", "lon1": "eu",
    "sgp1": "as", "blr1": "as", "syd1": "oc",
}  # fmt: skip
_FAR_MS = {"na": 0.0, "eu": 80.0, "as": 200.0, "oc": 230.0}
DISK_FLOOR_PERCENT = 25.0  # the fullest a fresh droplet's disk starts (see droplet_metrics)
MEMORY_FLOOR_PERCENT = 30.0  # a droplet's memory before a leak (base use plus some traffic)
SWAP_PERCENT = 90.0  # past this the droplet swaps
SWAP_MS = 450.0  # added to every answer while it swaps
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class SimAnswer:
    """What the probe sees: refused, timed out, or an answer with a status and a latency."""

    refused: bool = False
    timed_out: bool = False
    latency_ms: float = 0.0
    status_code: int = 200
    error: str = ""


def distance_ms(location: str, region: str) -> float:
    """Round-trip time added by the distance between a probe location and a region."""
    if location == region:
        return 1.0
    a, b = _CONTINENT.get(location, "na"), _CONTINENT.get(region, "na")
    if a == b:
        return 12.0
    return 40.0 + abs(_FAR_MS[a] - _FAR_MS[b]) + min(_FAR_MS[a], _FAR_MS[b]) / 2


def answer(
    faults: Sequence[Fault],
    t: float,
    *,
    droplet_id: int,
    cluster_id: int,
    region: str,
    location: str,
    method: str = "GET",
    icmp: bool = False,
    salt: int = 0,
) -> SimAnswer:
    """The droplet's answer at simulated time t; `salt` varies the draw of a bad deploy."""
    acting = [
        f
        for f in faults
        if f.cluster_id == cluster_id
        and (f.droplet_id is None or f.droplet_id == droplet_id)
        and f.active_at(t)
    ]
    kinds = {f.kind: f for f in acting}
    if FaultKind.NETWORK_PARTITION in kinds:
        return SimAnswer(timed_out=True, error="no answer: the droplet is partitioned")
    base = 18.0 + 10.0 * _draw(droplet_id, salt, 1) + distance_ms(location, region)
    extra = sum(f.magnitude for f in acting if f.kind is FaultKind.NETWORK_LATENCY)
    if icmp:
        return SimAnswer(latency_ms=base / 2 + extra)
    if FaultKind.CRASH_LOOP in kinds:
        return SimAnswer(refused=True, error="connection refused: the service is crash-looping")
    if (hog := kinds.get(FaultKind.CPU_HOG)) is not None:
        base /= max(0.05, 1.0 - hog.magnitude)
    latency = base + extra + _swap_ms(kinds.get(FaultKind.MEMORY_LEAK), t)
    if (deploy := kinds.get(FaultKind.BAD_DEPLOY)) is not None and _draw(
        droplet_id, salt, 2
    ) < deploy.magnitude:
        return SimAnswer(latency_ms=latency, status_code=503, error="HTTP 503 after a bad deploy")
    disk = kinds.get(FaultKind.DISK_FILL)
    if disk is not None and method.upper() in WRITE_METHODS:
        minutes = (t - disk.start_at.timestamp()) / 60.0
        if DISK_FLOOR_PERCENT + disk.magnitude * minutes >= 100.0:
            return SimAnswer(latency_ms=latency, status_code=507, error="HTTP 507: disk full")
    return SimAnswer(latency_ms=latency)


def _swap_ms(leak: Fault | None, t: float) -> float:
    """The delay of a leaking droplet that swaps (its magnitude: percent of memory a minute)."""
    if leak is None:
        return 0.0
    minutes = (t - leak.start_at.timestamp()) / 60.0
    return SWAP_MS if MEMORY_FLOOR_PERCENT + leak.magnitude * minutes >= SWAP_PERCENT else 0.0


def _draw(droplet_id: int, salt: int, lane: int) -> float:
    """A stable pseudo-random number in [0, 1) for (droplet, salt, lane)."""
    digest = hashlib.blake2b(f"{droplet_id}:{salt}:{lane}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
