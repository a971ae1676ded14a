"""HealthClient: HealthCheckService calls as plain dataclasses (Qt-free; calls have deadlines)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import grpc

from clustergenie_gui.client.client import ClientError
from clustergenie_server.api.v1 import health_pb2 as pb
from clustergenie_server.api.v1 import health_pb2_grpc

STATES = {
    pb.HEALTH_STATE_UNKNOWN: "unknown",
    pb.HEALTH_STATE_HEALTHY: "healthy",
    pb.HEALTH_STATE_DEGRADED: "degraded",
    pb.HEALTH_STATE_UNHEALTHY: "unhealthy",
}
KINDS = {
    "http": pb.CHECK_KIND_HTTP,
    "tcp": pb.CHECK_KIND_TCP,
    "ping": pb.CHECK_KIND_PING,
    "grpc": pb.CHECK_KIND_GRPC,
}
TARGETS = {
    "cluster": pb.TARGET_KIND_CLUSTER,
    "droplet": pb.TARGET_KIND_DROPLET,
    "load_balancer": pb.TARGET_KIND_LOAD_BALANCER,
    "address": pb.TARGET_KIND_ADDRESS,
}


@dataclass(frozen=True, slots=True)
class TargetHealth:
    """One row of the status grid."""

    check_id: int
    target: str
    label: str
    cluster_id: int
    state: str
    latency_ms: float = 0.0
    last_reason: str = ""
    failing_locations: tuple[str, ...] = ()
    location: str = ""  # where the shown latency was measured


@dataclass(frozen=True, slots=True)
class HttpForm:
    """The request of an HTTP check (ignored by the other kinds); the server's defaults."""

    method: str = "GET"
    path: str = "/"
    headers: tuple[tuple[str, str], ...] = ()  # (name, value), in the order typed
    body: str = ""
    status_min: int = 200
    status_max: int = 399
    follow_redirects: bool = True


@dataclass(frozen=True, slots=True)
class CheckForm:
    """What the add-check form sends."""

    name: str
    kind: str
    target_kind: str
    target_id: int = 0
    address: str = ""
    interval_seconds: float = 10.0
    timeout_seconds: float = 5.0
    conditions: str = ""
    failure_threshold: int = 3
    success_threshold: int = 1
    locations: tuple[str, ...] = ("nyc1",)
    quorum: int = 1
    http: HttpForm = field(default_factory=HttpForm)


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """A stored check as a list shows it."""

    id: int
    form: CheckForm
    paused: bool


@dataclass(frozen=True, slots=True)
class HealthEvent:
    """A live update: a target's new row, a transition or an alert notice."""

    row: TargetHealth | None = None
    transition: str = ""  # "web-1: healthy -> unhealthy (reason)"
    alert: str = ""  # "opened: web-http: 1 of 2 droplets unhealthy" (see alert_notice)
    # check id, target, location, latency, text
    result: tuple[int, str, str, float, str] | None = None
    snapshot_complete: bool = False


@dataclass(frozen=True, slots=True)
class Uptime:
    """Uptime figures and the latency series of one target."""

    percents: tuple[float | None, ...]  # 1 h, 24 h, 7 d, 30 d
    p50_ms: float
    p95_ms: float
    times: tuple[float, ...] = ()
    latency_ms: tuple[float, ...] = ()
    failures: tuple[tuple[float, float], ...] = field(default_factory=tuple)
    maintenance: tuple[tuple[float, float], ...] = field(default_factory=tuple)
    history: tuple[str, ...] = ()  # the newest results, one line each


def _with_form(check: pb.HealthCheck, form: CheckForm) -> pb.HealthCheck:
    """check with the form's fields set (the others as they were)."""
    check.name, check.kind = form.name, KINDS[form.kind]
    check.target_kind, check.target_id = TARGETS[form.target_kind], form.target_id
    check.address, check.conditions = form.address, form.conditions
    check.interval_seconds, check.timeout_seconds = form.interval_seconds, form.timeout_seconds
    check.failure_threshold = form.failure_threshold
    check.success_threshold = form.success_threshold
    del check.locations[:]
    check.locations.extend(form.locations)
    check.quorum = form.quorum
    h = form.http
    check.http.method, check.http.path, check.http.body = h.method, h.path, h.body
    check.http.status_min, check.http.status_max = h.status_min, h.status_max
    check.http.follow_redirects = h.follow_redirects
    del check.http.headers[:]
    check.http.headers.extend(pb.Header(name=n, value=v) for n, v in h.headers)
    return check


def alert_notice(notice: str, a: pb.HealthAlert) -> str:
    """An alert's notice for the status bar: "opened: web-http: 1 of 2 droplets unhealthy",
    with the root cause Diagnose found once it has ("diagnosed: ... — root cause: ...")."""
    text = f"{notice}: {a.subject}"
    if a.diagnosis_session_id and a.root_cause:
        text += f" — root cause: {a.root_cause} (Diagnose session {a.diagnosis_session_id})"
    elif a.diagnosis_session_id:
        text += f" — no root cause found (Diagnose session {a.diagnosis_session_id})"
    return text


def _form(c: pb.HealthCheck) -> CheckForm:
    """A stored check as the form's fields."""
    kinds = {v: k for k, v in KINDS.items()}
    targets = {v: k for k, v in TARGETS.items()}
    h = c.http
    http = HttpForm(
        h.method or "GET", h.path or "/", tuple((x.name, x.value) for x in h.headers), h.body,
        h.status_min or 200, h.status_max or 399, h.follow_redirects,
    )  # fmt: skip
    return CheckForm(
        c.name, kinds.get(c.kind, "http"), targets.get(c.target_kind, "cluster"), c.target_id,
        c.address, c.interval_seconds, c.timeout_seconds, c.conditions, c.failure_threshold,
        c.success_threshold, tuple(c.locations), c.quorum, http,
    )  # fmt: skip


def result_text(r: pb.CheckResult) -> str:
    """'nyc1 HTTP 200 in 23 ms' or 'sgp1 failed: connection refused ...'."""
    if r.outcome == pb.OUTCOME_PASS:
        answer = f"HTTP {r.status_code}" if r.status_code > 1 else "ok"
        return f"{r.location} {answer} in {r.latency_ms:.0f} ms"
    word = "slow" if r.outcome == pb.OUTCOME_SLOW else "failed"
    return f"{r.location} {word}: {r.reason or r.error}"


def _row(s: pb.TargetStatus) -> TargetHealth:
    last = s.last if s.HasField("last") else None
    return TargetHealth(
        s.check_id, s.target_key, s.label or s.target_key, s.cluster_id,
        STATES.get(s.state, "unknown"),
        last.latency_ms if last else 0.0, result_text(last) if last else "",
        tuple(s.failing_locations), last.location if last else "",
    )  # fmt: skip


class HealthClient:
    """Calls on the channel `channel()` returns (created inside the running loop)."""

    def __init__(self, channel: Callable[[], grpc.aio.Channel], timeout: float = 10.0) -> None:
        self._channel, self._timeout = channel, timeout

    def _stub(self) -> health_pb2_grpc.HealthCheckServiceStub:
        return health_pb2_grpc.HealthCheckServiceStub(self._channel())

    async def status(self) -> list[TargetHealth]:
        """Every target's row."""
        try:
            reply = await self._stub().GetStatus(pb.GetStatusRequest(), timeout=self._timeout)
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        return [_row(s) for s in reply.targets]

    async def validate_conditions(self, text: str) -> tuple[str, int]:
        """('', 0) when the conditions parse, else (message, column)."""
        try:
            reply = await self._stub().ValidateConditions(
                pb.ValidateConditionsRequest(conditions=text), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        return reply.error, reply.column

    async def create_check(self, form: CheckForm) -> int:
        """Create a check; returns its id (ClientError says which field is wrong)."""
        check = _with_form(pb.HealthCheck(), form)
        try:
            created = await self._stub().CreateCheck(
                pb.CreateCheckRequest(check=check), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        return int(created.id)

    async def get_check(self, check_id: int) -> tuple[CheckForm, bool]:
        """A check as the form shows it, and whether it is paused."""
        try:
            c = await self._stub().GetCheck(
                pb.GetCheckRequest(check_id=check_id), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        return _form(c), c.paused

    async def list_checks(self, cluster_id: int = 0) -> list[CheckInfo]:
        """Every check (of one cluster when cluster_id is set)."""
        try:
            reply = await self._stub().ListChecks(
                pb.ListChecksRequest(cluster_id=cluster_id), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        return [CheckInfo(int(c.id), _form(c), c.paused) for c in reply.checks]

    async def update_check(self, check_id: int, form: CheckForm) -> None:
        """Change what the form shows; the rest of the definition (port, TLS verification,
        auto-heal) is kept as stored."""
        try:
            current = await self._stub().GetCheck(
                pb.GetCheckRequest(check_id=check_id), timeout=self._timeout
            )
            await self._stub().UpdateCheck(
                pb.UpdateCheckRequest(check=_with_form(current, form)), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None

    async def run_now(self, check_id: int) -> int:
        """Probe a check's targets now; returns how many results."""
        try:
            reply = await self._stub().RunCheck(
                pb.RunCheckRequest(check_id=check_id), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        return len(reply.results)

    async def set_paused(self, check_id: int, paused: bool) -> None:
        """Pause or resume a check."""
        try:
            await self._stub().PauseCheck(
                pb.PauseCheckRequest(check_id=check_id, paused=paused), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None

    async def delete_check(self, check_id: int) -> None:
        """Delete a check."""
        try:
            await self._stub().DeleteCheck(
                pb.DeleteCheckRequest(check_id=check_id), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None

    async def uptime(self, check_id: int, target: str) -> Uptime:
        """Uptime figures and the latency series."""
        try:
            r = await self._stub().GetUptime(
                pb.GetUptimeRequest(check_id=check_id, target_key=target), timeout=self._timeout
            )
            listed = await self._stub().ListResults(
                pb.ListResultsRequest(check_id=check_id, target_key=target, limit=8),
                timeout=self._timeout,
            )
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        history = tuple(
            f"{time.strftime('%H:%M:%S', time.localtime(x.at))}  {result_text(x)}"
            for x in listed.results
        )
        return Uptime(
            tuple(w.uptime_percent if w.HasField("uptime_percent") else None for w in r.windows),
            r.windows[0].latency_p50_ms if r.windows else 0.0,
            r.windows[0].latency_p95_ms if r.windows else 0.0,
            tuple(r.times), tuple(r.latency_ms),
            tuple((s.start, s.end) for s in r.failures),
            tuple((s.start, s.end) for s in r.maintenance), history,
        )  # fmt: skip

    async def watch(self) -> AsyncIterator[HealthEvent]:
        """The status snapshot, then live rows, transitions and alerts."""
        call = self._stub().WatchHealth(pb.WatchHealthRequest())
        try:
            async for u in call:
                kind = u.WhichOneof("update")
                if kind == "status":
                    yield HealthEvent(row=_row(u.status))
                elif kind == "result":
                    r = u.result
                    yield HealthEvent(
                        result=(r.check_id, r.target_key, r.location, r.latency_ms, result_text(r))
                    )
                elif kind == "snapshot_complete":
                    yield HealthEvent(snapshot_complete=True)
                elif kind == "transition":
                    t = u.transition
                    text = f"{t.target_key}: {STATES[t.from_state]} -> {STATES[t.to_state]}"
                    yield HealthEvent(transition=f"{text} ({t.reason})" if t.reason else text)
                elif kind == "alert":
                    yield HealthEvent(alert=alert_notice(u.notice, u.alert))
        except grpc.aio.AioRpcError as exc:
            raise ClientError.from_rpc(exc) from None
        finally:
            call.cancel()
