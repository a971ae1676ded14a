"""Simulated logs follow the traffic, sample only routine lines, and show each fault's marks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from clustergenie_server.domain.logs import Level, Stream
from clustergenie_server.domain.telemetry import METRICS, Fault, FaultKind, FaultState, Metric
from clustergenie_server.services.logs.generator import LogGenerator
from clustergenie_server.services.logs.log_runner import deployed_faults
from clustergenie_server.simulation.engine import TickResult

T = 1_800_000_000.0
NAMES = {1: "web-1", 2: "web-2", -7: "web-prod"}


def _tick(
    t: float = T, rps: float = 50.0, error_rate: float = 0.001, **metrics: float
) -> TickResult:
    row = np.zeros(len(METRICS))
    row[Metric.REQUESTS_PER_SECOND.column] = rps
    row[Metric.ERROR_RATE.column] = error_rate
    row[Metric.LATENCY_P50_MS.column] = 20
    row[Metric.LATENCY_P99_MS.column] = 60
    row[Metric.MEMORY_PERCENT.column] = metrics.get("memory", 30)
    row[Metric.DISK_PERCENT.column] = metrics.get("disk", 20)
    values = np.vstack([row, row])
    return TickResult(t, np.array([1, 2]), np.array([7, 7]), values, np.array([7]), values[:1])


def _fault(kind: FaultKind, magnitude: float = 1.0, droplet_id: int | None = None) -> Fault:
    start = datetime.fromtimestamp(T - 100, UTC)
    return Fault(1, kind, 7, droplet_id, magnitude, start, 0, FaultState.ACTIVE, None, "", start)


def _levels(lines: list[tuple[Stream, float, str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for stream, _t, _text, count in lines:
        out[stream.labels["level"]] = out.get(stream.labels["level"], 0) + count
    return out


def test_lines_follow_traffic_and_carry_labels() -> None:
    gen = LogGenerator(seed=1, routine_lines_per_second=10**9)
    lines = gen.tick(_tick(rps=50), 10.0, 10.0, [], NAMES)
    access = [x for x in lines if x[0].labels["source"] == "nginx"]
    assert 900 < len(access) < 1100  # two droplets, ~50 requests/s for 10 s, a line each
    assert all(x[3] == 1 for x in lines)  # nothing sampled under the budget
    stream, t, text, _ = access[0]
    assert stream.labels["cluster"] == "web-prod"
    assert stream.labels["droplet"] in ("web-1", "web-2")
    assert T - 10 <= t <= T
    assert "method=" in text
    assert "status=" in text
    assert "latency=" in text
    quiet = gen.tick(_tick(rps=5), 10.0, 10.0, [], NAMES)
    assert len(quiet) < len(lines) / 5


def test_sampling_keeps_the_total_and_never_samples_errors() -> None:
    budget = LogGenerator(seed=2, routine_lines_per_second=50)
    full = LogGenerator(seed=2, routine_lines_per_second=10**9)
    tick = _tick(rps=200, error_rate=0.05)
    sampled = budget.tick(tick, 10.0, 0.1, [], NAMES)  # time scale 100: 0.1 wall s a tick
    every = full.tick(tick, 10.0, 0.1, [], NAMES)
    assert len(sampled) < len(every) / 10
    weights = _levels(sampled)
    assert abs(weights["info"] - _levels(every)["info"]) < 0.1 * _levels(every)["info"]
    errors = [x for x in sampled if x[0].labels["level"] == "error"]
    assert errors
    assert all(x[3] == 1 for x in errors)
    assert all(
        x[3] > 1
        for x in sampled
        if x[0].labels["level"] == "info" and x[0].labels["source"] == "nginx"
    )


@pytest.mark.parametrize(
    ("kind", "magnitude", "metrics", "mark"),
    [
        (FaultKind.BAD_DEPLOY, 0.3, {}, "rolled out version v2.5.0-rc1"),
        (FaultKind.DISK_FILL, 1.0, {"disk": 99.5}, "no space left on device"),
        (FaultKind.NETWORK_LATENCY, 2000.0, {}, "upstream timed out"),
        (FaultKind.NETWORK_PARTITION, 1.0, {}, "i/o timeout"),
        (FaultKind.CPU_HOG, 0.8, {}, "cpu throttled"),
    ],
)
def test_faults_leave_their_marks(
    kind: FaultKind, magnitude: float, metrics: dict[str, float], mark: str
) -> None:
    gen = LogGenerator(seed=3, routine_lines_per_second=10)
    error_rate = magnitude if kind is FaultKind.BAD_DEPLOY else 0.001
    lines = gen.tick(
        _tick(error_rate=error_rate, **metrics), 10.0, 0.1, [_fault(kind, magnitude)], NAMES
    )
    marked = [x for x in lines if mark in x[2]]
    assert marked
    assert all(x[3] == 1 for x in marked)
    clean = LogGenerator(seed=3, routine_lines_per_second=10).tick(_tick(), 10.0, 0.1, [], NAMES)
    assert not [x for x in clean if mark in x[2]]


def test_a_bad_deploy_brings_5xx_stack_traces_and_the_new_version() -> None:
    gen = LogGenerator(seed=4, routine_lines_per_second=10**9)
    lines = gen.tick(
        _tick(rps=100, error_rate=0.3), 10.0, 10.0, [_fault(FaultKind.BAD_DEPLOY, 0.3)], NAMES
    )
    fivexx = [x for x in lines if "status=5" in x[2]]
    assert len(fivexx) > 200
    assert all(x[0].level is Level.ERROR for x in fivexx)
    assert all("version=v2.5.0-rc1" in x[2] for x in fivexx)
    assert any("Traceback (most recent call last)" in x[2] and "KeyError" in x[2] for x in lines)


def test_a_memory_leak_ends_in_oom_kills_and_restarts() -> None:
    gen = LogGenerator(seed=5, routine_lines_per_second=10)
    leak = [_fault(FaultKind.MEMORY_LEAK, 5.0)]
    gen.tick(_tick(memory=97), 10.0, 0.1, leak, NAMES)
    lines = gen.tick(_tick(t=T + 10, memory=20), 10.0, 0.1, leak, NAMES)
    texts = [x[2] for x in lines]
    assert any("Out of memory: Killed process" in t for t in texts)
    assert any("restart counter is at 1" in t for t in texts)


def test_a_crash_loop_refuses_connections_and_restarts() -> None:
    gen = LogGenerator(seed=6, routine_lines_per_second=10)
    crash = [_fault(FaultKind.CRASH_LOOP, 60.0)]
    texts = [x[2] for x in gen.tick(_tick(rps=0), 10.0, 0.1, crash, NAMES)]
    assert any("Connection refused" in t for t in texts)
    assert any("status=1/FAILURE" in t for t in texts)


def test_a_bad_deploy_marks_only_the_droplets_that_run_its_version() -> None:
    deploy = _fault(FaultKind.BAD_DEPLOY, 0.3)
    other_cluster = replace(deploy, id=2, cluster_id=8)
    rolled = deployed_faults([deploy, other_cluster], {2}, _tick())  # web-2 has it, web-1 not yet
    assert [(f.id, f.droplet_id) for f in rolled] == [(1, 2)]
    gen = LogGenerator(seed=4, routine_lines_per_second=10**9)
    lines = gen.tick(_tick(rps=100, error_rate=0.3), 10.0, 10.0, rolled, NAMES)
    versions = {(x[0].labels["droplet"], "v2.5.0-rc1" in x[2]) for x in lines if "status=" in x[2]}
    assert versions == {("web-1", False), ("web-2", True)}
    assert deployed_faults([deploy], {}, _tick()) == []  # rolled back: no droplet runs it
