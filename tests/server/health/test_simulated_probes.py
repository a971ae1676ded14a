"""Simulated droplets answer from their faults; a balancer answers while one droplet serves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clustergenie_server.domain.health import (
    CheckDefinition,
    CheckKind,
    HttpSpec,
    Outcome,
    Target,
    TargetKind,
)
from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState
from clustergenie_server.services.health.checkers import Probers, SimDroplet, SimWorld, judge
from clustergenie_server.services.health.conditions import parse

T0 = 1_800_000_000.0
DROPLETS = {1: SimDroplet(1, 9, "nyc1", True), 2: SimDroplet(2, 9, "nyc1", True)}


def fault(kind: FaultKind, droplet_id: int | None = 1, magnitude: float = 1.0) -> Fault:
    """An active fault on cluster 9, started a minute before T0."""
    start = datetime.fromtimestamp(T0 - 60, UTC)
    return Fault(1, kind, 9, droplet_id, magnitude, start, 0.0, FaultState.ACTIVE, None, "", start)


def probers(*faults: Fault) -> Probers:
    """Probers over two droplets of cluster 9 and the given faults."""
    world = SimWorld(lambda: faults, lambda: T0, DROPLETS.get, lambda c: list(DROPLETS.values()))
    return Probers(world, None)


def check(**fields: object) -> CheckDefinition:
    """An HTTP check on droplet 1, 2 s timeout."""
    values: dict[str, object] = {
        "id": 1, "name": "c", "kind": CheckKind.HTTP, "target_kind": TargetKind.DROPLET,
        "target_id": 1, "interval_seconds": 5.0, "timeout_seconds": 2.0,
    }  # fmt: skip
    values.update(fields)
    return CheckDefinition(**values)  # type: ignore[arg-type]


async def outcome(p: Probers, c: CheckDefinition, target: Target, location: str = "nyc1") -> object:
    """Probe and judge one target."""
    probe = await p.probe(c, target, location)
    return judge(c, parse(c.conditions), target, location, probe, at=T0, scheduled_at=T0)


DROPLET = Target("droplet:1", 9, 1)


@pytest.mark.parametrize(
    ("faults", "method", "words"),
    [
        ((fault(FaultKind.CRASH_LOOP, magnitude=60),), "GET", "crash-looping"),
        ((fault(FaultKind.NETWORK_PARTITION),), "GET", "timed out after 2s"),
        ((fault(FaultKind.NETWORK_LATENCY, magnitude=5000),), "GET", "timed out after 2s"),
        ((fault(FaultKind.BAD_DEPLOY, magnitude=1.0),), "GET", "HTTP 503 is outside"),
        ((fault(FaultKind.DISK_FILL, magnitude=100.0),), "POST", "HTTP 507 is outside"),
    ],
)
async def test_faults_fail_the_probe_their_way(
    faults: tuple[Fault, ...], method: str, words: str
) -> None:
    result = await outcome(probers(*faults), check(http=HttpSpec(method=method)), DROPLET)
    assert result.outcome is Outcome.FAIL  # type: ignore[attr-defined]
    assert words in result.reason  # type: ignore[attr-defined]


async def test_a_full_disk_still_answers_reads_and_ping_answers_a_crash_loop() -> None:
    disk = probers(fault(FaultKind.DISK_FILL, magnitude=100.0))
    assert (await outcome(disk, check(), DROPLET)).outcome is Outcome.PASS  # type: ignore[attr-defined]
    crash = probers(fault(FaultKind.CRASH_LOOP, magnitude=60))
    ping = check(kind=CheckKind.PING)
    assert (await outcome(crash, ping, DROPLET)).outcome is Outcome.PASS  # type: ignore[attr-defined]


async def test_a_latency_fault_slows_answers_into_a_latency_condition() -> None:
    slow = probers(fault(FaultKind.NETWORK_LATENCY, magnitude=400))
    result = await outcome(slow, check(conditions="[RESPONSE_TIME] < 300"), DROPLET)
    assert result.outcome is Outcome.SLOW  # type: ignore[attr-defined]
    assert result.latency_ms > 400  # type: ignore[attr-defined]


async def test_the_balancer_answers_while_one_droplet_serves() -> None:
    lb = Target("lb:9", 9, 0)
    c = check(target_kind=TargetKind.LOAD_BALANCER, target_id=9)
    one_down = probers(fault(FaultKind.CRASH_LOOP, droplet_id=1, magnitude=60))
    assert (await outcome(one_down, c, lb)).outcome is Outcome.PASS  # type: ignore[attr-defined]
    all_down = probers(fault(FaultKind.CRASH_LOOP, droplet_id=None, magnitude=60))
    result = await outcome(all_down, c, lb)
    assert result.reason == "HTTP 503 is outside 200-399"  # type: ignore[attr-defined]


async def test_a_stopped_or_destroyed_droplet_refuses() -> None:
    world = SimWorld(lambda: (), lambda: T0, {1: SimDroplet(1, 9, "nyc1", False)}.get, lambda c: [])
    result = await outcome(Probers(world, None), check(kind=CheckKind.TCP), DROPLET)
    assert "not running" in result.reason  # type: ignore[attr-defined]
    gone = await outcome(Probers(world, None), check(), Target("droplet:5", 9, 5))
    assert "no longer exists" in gone.reason  # type: ignore[attr-defined]
