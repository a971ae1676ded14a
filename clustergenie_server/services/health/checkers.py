"""Probers per kind (simulated or real) and the judge that turns a probe into a result."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clustergenie_server.domain.health import (
    CheckDefinition,
    CheckKind,
    CheckResult,
    Outcome,
    Phases,
    Target,
    TargetKind,
)
from clustergenie_server.domain.telemetry import Fault
from clustergenie_server.services.health import conditions
from clustergenie_server.services.health.probe import GrpcHealthProbe, Probe
from clustergenie_server.services.health.real_http import http_probe
from clustergenie_server.services.health.real_net import ping_probe, split_host_port, tcp_probe
from clustergenie_server.simulation.probe_answer import answer


@dataclass(frozen=True, slots=True)
class SimDroplet:
    """What the simulated prober needs of a droplet."""

    id: int
    cluster_id: int
    region: str
    active: bool


@dataclass(frozen=True, slots=True)
class SimWorld:
    """The simulation as probes see it: faults, simulated time and the droplets."""

    faults: Callable[[], Sequence[Fault]]
    sim_now: Callable[[], float]
    droplet: Callable[[int], SimDroplet | None]
    cluster_droplets: Callable[[int], Sequence[SimDroplet]]


class Probers:
    """Dispatches a probe by target (simulated or real) and kind."""

    def __init__(self, world: SimWorld, grpc_health: GrpcHealthProbe | None) -> None:
        self._world, self._grpc = world, grpc_health
        self._round = 0

    async def probe(self, check: CheckDefinition, target: Target, location: str) -> Probe:
        """Probe one target from one location."""
        if check.target_kind is TargetKind.ADDRESS:
            return await self._real(check)
        self._round += 1
        if check.target_kind is TargetKind.LOAD_BALANCER:
            return self._balancer(check, target, location)
        droplet = self._world.droplet(target.droplet_id)
        return self._simulated(check, droplet, location)

    async def _real(self, check: CheckDefinition) -> Probe:
        timeout = check.timeout_seconds
        match check.kind:
            case CheckKind.HTTP:
                return await http_probe(check.address, check.http, timeout)
            case CheckKind.TCP:
                return await tcp_probe(check.address, timeout)
            case CheckKind.PING:
                return await ping_probe(split_host_port(check.address)[0], timeout)
            case _:
                if self._grpc is None:
                    return Probe(False, 0.0, error="gRPC health probes are not wired here")
                started = time.perf_counter()
                serving, status = await self._grpc.check(check.address, "", timeout)
                latency = (time.perf_counter() - started) * 1000.0
                if serving:
                    return Probe(True, latency, status_code=1, body=status.encode())
                connected = status not in ("UNAVAILABLE", "DEADLINE_EXCEEDED")
                return Probe(
                    connected, latency, body=status.encode(), error=f"gRPC health: {status}"
                )

    def _simulated(
        self, check: CheckDefinition, droplet: SimDroplet | None, location: str
    ) -> Probe:
        if droplet is None:
            return Probe(False, 0.0, error="the droplet no longer exists")
        if not droplet.active:
            return Probe(False, 0.0, error="connection refused: the droplet is not running")
        a = answer(
            self._world.faults(),
            self._world.sim_now(),
            droplet_id=droplet.id,
            cluster_id=droplet.cluster_id,
            region=droplet.region,
            location=location,
            method=check.http.method,
            icmp=check.kind is CheckKind.PING,
            salt=self._round,
        )
        if a.timed_out or a.latency_ms > check.timeout_seconds * 1000.0:
            return Probe(
                False,
                check.timeout_seconds * 1000.0,
                error=f"timed out after {check.timeout_seconds:g}s ({a.error or 'too slow'})",
            )
        if a.refused:
            return Probe(False, a.latency_ms, error=a.error)
        if check.kind is CheckKind.HTTP:
            phases = Phases(a.latency_ms * 0.3, 0.0, a.latency_ms * 0.6, a.latency_ms * 0.1)
            body = b'{"status": "ok"}' if a.status_code < 400 else b'{"status": "error"}'
            return Probe(True, a.latency_ms, a.status_code, body, a.error, phases)
        if check.kind is CheckKind.GRPC and a.status_code >= 500:
            return Probe(True, a.latency_ms, 0, b"NOT_SERVING", "gRPC health: NOT_SERVING")
        return Probe(True, a.latency_ms, status_code=1 if check.kind is CheckKind.GRPC else 0)

    def _balancer(self, check: CheckDefinition, target: Target, location: str) -> Probe:
        """The balancer answers from the best serving droplet; 503 when none serves."""
        probes = [
            self._simulated(check, d, location)
            for d in self._world.cluster_droplets(target.cluster_id)
        ]
        good = [p for p in probes if p.connected and p.status_code < 500 and not p.error]
        if good:
            return min(good, key=lambda p: p.latency_ms)
        if check.kind is CheckKind.HTTP:
            return Probe(True, 2.0, 503, b"no healthy upstream", "HTTP 503: no droplet serves")
        return Probe(False, 2.0, error="no droplet behind the balancer serves")


def judge(
    check: CheckDefinition,
    clauses: tuple[conditions.Clause, ...],
    target: Target,
    location: str,
    probe: Probe,
    *,
    at: float,
    scheduled_at: float,
) -> CheckResult:
    """A result: FAIL when not connected or a non-latency condition fails, SLOW when only a
    latency condition fails, PASS otherwise."""
    outcome, failed, reason = Outcome.PASS, "", ""
    if not probe.connected:
        outcome, reason = Outcome.FAIL, probe.error
    elif check.kind is CheckKind.HTTP and not (
        check.http.status_min <= probe.status_code <= check.http.status_max
    ):
        outcome = Outcome.FAIL
        failed = f"status in {check.http.status_min}-{check.http.status_max}"
        reason = (
            f"HTTP {probe.status_code} is outside {check.http.status_min}-{check.http.status_max}"
        )
    elif check.kind is CheckKind.GRPC and probe.error:
        outcome, reason = Outcome.FAIL, probe.error
    if outcome is Outcome.PASS or not failed:
        answer_ = conditions.Answer(
            probe.connected, probe.status_code, probe.body, probe.latency_ms,
            probe.cert_expiry_at, at,
        )  # fmt: skip
        clause, why = conditions.evaluate(clauses, answer_)
        if clause is not None and outcome is Outcome.PASS:
            outcome = Outcome.SLOW if clause.is_latency else Outcome.FAIL
            failed, reason = clause.text, why
        elif clause is not None and not failed:
            failed = clause.text
    return CheckResult(
        check_id=check.id,
        target=target.key,
        location=location,
        at=at,
        outcome=outcome,
        latency_ms=round(probe.latency_ms, 3),
        connected=probe.connected,
        status_code=probe.status_code,
        error=probe.error,
        failed_condition=failed,
        reason=reason,
        phases=probe.phases,
        cert_expiry_at=probe.cert_expiry_at,
        scheduled_at=scheduled_at,
    )
