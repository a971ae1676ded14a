"""Health protobuf <-> domain, shared by the servicer and the event codec."""

from __future__ import annotations

from clustergenie_server.api.v1 import health_pb2 as pb
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.events import HealthChanged
from clustergenie_server.domain.health import (
    Alert,
    AutoHeal,
    Channel,
    ChannelKind,
    CheckDefinition,
    CheckKind,
    CheckResult,
    Delivery,
    HealthState,
    HttpSpec,
    MaintenanceWindow,
    Outcome,
    Phases,
    Recurrence,
    TargetKind,
    TargetStatus,
    Transition,
    UptimeFigures,
)

# Each table maps a domain enum to its wire value (the generated EnumTypeWrapper's ValueType).
KIND: dict[CheckKind, pb.CheckKind.ValueType] = {
    k: pb.CheckKind.Value(f"CHECK_KIND_{k.name}") for k in CheckKind
}
TARGET: dict[TargetKind, pb.TargetKind.ValueType] = {
    k: pb.TargetKind.Value(f"TARGET_KIND_{k.name}") for k in TargetKind
}
STATE: dict[HealthState, pb.HealthState.ValueType] = {
    s: pb.HealthState.Value(f"HEALTH_STATE_{s.name}") for s in HealthState
}
OUTCOME: dict[Outcome, pb.Outcome.ValueType] = {
    o: pb.Outcome.Value(f"OUTCOME_{o.name}") for o in Outcome
}
HEAL: dict[AutoHeal, pb.AutoHeal.ValueType] = {
    h: pb.AutoHeal.Value(f"AUTO_HEAL_{h.name}") for h in AutoHeal
}
CHANNEL: dict[ChannelKind, pb.ChannelKind.ValueType] = {
    c: pb.ChannelKind.Value(f"CHANNEL_KIND_{c.name}") for c in ChannelKind
}
RECURRENCE: dict[Recurrence, pb.Recurrence.ValueType] = {
    r: pb.Recurrence.Value(f"RECURRENCE_{r.name}") for r in Recurrence
}
_CHANNEL_BACK: dict[pb.ChannelKind.ValueType, ChannelKind] = {v: k for k, v in CHANNEL.items()}
_RECURRENCE_BACK: dict[pb.Recurrence.ValueType, Recurrence] = {v: k for k, v in RECURRENCE.items()}
_KIND_BACK: dict[pb.CheckKind.ValueType, CheckKind] = {v: k for k, v in KIND.items()}
_TARGET_BACK: dict[pb.TargetKind.ValueType, TargetKind] = {v: k for k, v in TARGET.items()}
_STATE_BACK: dict[pb.HealthState.ValueType, HealthState] = {v: k for k, v in STATE.items()}
_OUTCOME_BACK: dict[pb.Outcome.ValueType, Outcome] = {v: k for k, v in OUTCOME.items()}
_HEAL_BACK: dict[pb.AutoHeal.ValueType, AutoHeal] = {v: k for k, v in HEAL.items()}


REDACTED = "[redacted]"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SECRET_WORDS = ("token", "secret", "password", "api-key", "apikey", "api_key")


def is_secret_header(name: str) -> bool:
    """Whether a request header's value is a credential (never shown to a viewer)."""
    lowered = name.strip().lower()
    return lowered in _SECRET_HEADERS or any(w in lowered for w in _SECRET_WORDS)


def check_to_proto(c: CheckDefinition, *, secrets: bool = True) -> pb.HealthCheck:
    """A definition on the wire; without secrets, credential header values are redacted."""
    h = c.http
    headers = [
        pb.Header(name=n, value=v if secrets or not is_secret_header(n) else REDACTED)
        for n, v in h.headers
    ]
    return pb.HealthCheck(
        id=c.id, name=c.name, kind=KIND[c.kind], target_kind=TARGET[c.target_kind],
        target_id=c.target_id, address=c.address, port=c.port,
        http=pb.HttpSpec(
            method=h.method, path=h.path, body=h.body, status_min=h.status_min,
            status_max=h.status_max, follow_redirects=h.follow_redirects,
            tls_insecure=h.tls_insecure,
            headers=headers,
        ),
        interval_seconds=c.interval_seconds, timeout_seconds=c.timeout_seconds,
        conditions=c.conditions, failure_threshold=c.failure_threshold,
        success_threshold=c.success_threshold, locations=list(c.locations), quorum=c.quorum,
        paused=c.paused, auto_heal=HEAL[c.auto_heal], auto_heal_after=c.auto_heal_after,
        created_at=c.created_at, updated_at=c.updated_at,
    )  # fmt: skip


def check_from_proto(m: pb.HealthCheck) -> CheckDefinition:
    """A definition from the wire; unset numbers take their defaults (validated later)."""
    if m.kind not in _KIND_BACK or m.kind == pb.CHECK_KIND_UNSPECIFIED:
        raise InvalidArgument("kind is missing; use CHECK_KIND_HTTP, _TCP, _PING or _GRPC")
    if m.target_kind not in _TARGET_BACK or m.target_kind == pb.TARGET_KIND_UNSPECIFIED:
        raise InvalidArgument(
            "target_kind is missing; use TARGET_KIND_DROPLET, _CLUSTER, _LOAD_BALANCER or _ADDRESS"
        )
    h = m.http
    http = HttpSpec(
        method=(h.method or "GET").upper(), path=h.path or "/",
        headers=tuple((x.name, x.value) for x in h.headers), body=h.body,
        status_min=h.status_min or 200, status_max=h.status_max or 399,
        follow_redirects=h.follow_redirects, tls_insecure=h.tls_insecure,
    )  # fmt: skip
    return CheckDefinition(
        id=m.id, name=m.name.strip(), kind=_KIND_BACK[m.kind],
        target_kind=_TARGET_BACK[m.target_kind], target_id=m.target_id,
        address=m.address.strip(), port=m.port or 80, http=http,
        interval_seconds=m.interval_seconds or 10.0,
        timeout_seconds=m.timeout_seconds or min(5.0, (m.interval_seconds or 10.0) / 2),
        conditions=m.conditions, failure_threshold=m.failure_threshold or 3,
        success_threshold=m.success_threshold or 1,
        locations=tuple(x.strip() for x in m.locations if x.strip()) or ("nyc1",),
        quorum=m.quorum or 1, paused=m.paused,
        auto_heal=_HEAL_BACK.get(m.auto_heal, AutoHeal.NONE)
        if m.auto_heal != pb.AUTO_HEAL_UNSPECIFIED else AutoHeal.NONE,
        auto_heal_after=m.auto_heal_after or 5,
    )  # fmt: skip


def result_to_proto(r: CheckResult) -> pb.CheckResult:
    """A result on the wire."""
    p = r.phases
    message = pb.CheckResult(
        id=r.id, check_id=r.check_id, target_key=r.target, location=r.location, at=r.at,
        outcome=OUTCOME[r.outcome], latency_ms=r.latency_ms, connected=r.connected,
        status_code=r.status_code, error=r.error, failed_condition=r.failed_condition,
        reason=r.reason, scheduled_at=r.scheduled_at,
        phases=pb.Phases(connect_ms=p.connect_ms, tls_ms=p.tls_ms,
                         first_byte_ms=p.first_byte_ms, transfer_ms=p.transfer_ms),
    )  # fmt: skip
    if r.cert_expiry_at is not None:
        message.cert_expiry_at = r.cert_expiry_at
    return message


def result_from_proto(m: pb.CheckResult) -> CheckResult:
    """A result from the wire."""
    p = m.phases
    return CheckResult(
        id=m.id, check_id=m.check_id, target=m.target_key, location=m.location, at=m.at,
        outcome=_OUTCOME_BACK.get(m.outcome, Outcome.FAIL), latency_ms=m.latency_ms,
        connected=m.connected, status_code=m.status_code, error=m.error,
        failed_condition=m.failed_condition, reason=m.reason, scheduled_at=m.scheduled_at,
        phases=Phases(p.connect_ms, p.tls_ms, p.first_byte_ms, p.transfer_ms),
        cert_expiry_at=m.cert_expiry_at if m.HasField("cert_expiry_at") else None,
    )  # fmt: skip


def transition_to_proto(t: Transition) -> pb.HealthTransition:
    """A transition on the wire."""
    return pb.HealthTransition(
        id=t.id, check_id=t.check_id, target_key=t.target, cluster_id=t.cluster_id,
        from_state=STATE[t.from_state], to_state=STATE[t.to_state], at=t.at, reason=t.reason,
        locations_failing=list(t.locations_failing),
    )  # fmt: skip


def transition_from_proto(m: pb.HealthTransition) -> Transition:
    """A transition from the wire."""
    return Transition(
        id=m.id, check_id=m.check_id, target=m.target_key, cluster_id=m.cluster_id,
        from_state=_STATE_BACK.get(m.from_state, HealthState.UNKNOWN),
        to_state=_STATE_BACK.get(m.to_state, HealthState.UNKNOWN), at=m.at, reason=m.reason,
        locations_failing=tuple(m.locations_failing),
    )  # fmt: skip


def alert_to_proto(a: Alert) -> pb.HealthAlert:
    """An alert on the wire."""
    message = pb.HealthAlert(
        id=a.id, check_id=a.check_id, cluster_id=a.cluster_id, subject=a.subject,
        members=list(a.members), opened_at=a.opened_at, last_notified_at=a.last_notified_at,
        diagnosis_session_id=a.diagnosis_session_id, root_cause=a.root_cause,
    )  # fmt: skip
    if a.resolved_at is not None:
        message.resolved_at = a.resolved_at
    return message


def alert_from_proto(m: pb.HealthAlert) -> Alert:
    """An alert from the wire."""
    resolved = m.resolved_at if m.HasField("resolved_at") else None
    return Alert(
        m.id, m.check_id, m.cluster_id, m.subject, tuple(m.members), m.opened_at, resolved,
        m.last_notified_at, m.diagnosis_session_id, m.root_cause,
    )  # fmt: skip


def health_event_to_proto(e: HealthChanged) -> pb.HealthEvent:
    """The bus payload of a health event."""
    message = pb.HealthEvent(notice=e.notice)
    if e.transition is not None:
        message.transition.CopyFrom(transition_to_proto(e.transition))
    elif e.alert is not None:
        message.alert.CopyFrom(alert_to_proto(e.alert))
    return message


def health_event_from_proto(m: pb.HealthEvent) -> HealthChanged:
    """A health event from the bus."""
    if m.HasField("transition"):
        t = transition_from_proto(m.transition)
        return HealthChanged(t.check_id, transition=t, notice=m.notice)
    a = alert_from_proto(m.alert)
    return HealthChanged(a.check_id, alert=a, notice=m.notice)


def status_to_proto(s: TargetStatus) -> pb.TargetStatus:
    """A target's state on the wire."""
    message = pb.TargetStatus(
        check_id=s.check_id, target_key=s.target.key, label=s.target.label,
        cluster_id=s.target.cluster_id, droplet_id=s.target.droplet_id, state=STATE[s.state],
        since=s.since, failing_locations=list(s.failing_locations),
    )  # fmt: skip
    if s.last is not None:
        message.last.CopyFrom(result_to_proto(s.last))
    return message


def channel_to_proto(c: Channel) -> pb.NotificationChannel:
    """A channel on the wire."""
    return pb.NotificationChannel(
        id=c.id, name=c.name, kind=CHANNEL[c.kind], url=c.url, reminder_seconds=c.reminder_seconds
    )


def channel_from_proto(m: pb.NotificationChannel) -> Channel:
    """A channel from the wire."""
    if m.kind not in _CHANNEL_BACK and m.kind != pb.CHANNEL_KIND_UNSPECIFIED:
        raise InvalidArgument(
            f"kind {m.kind} is unknown; use CHANNEL_KIND_DESKTOP or CHANNEL_KIND_WEBHOOK"
        )
    kind = _CHANNEL_BACK.get(m.kind, ChannelKind.DESKTOP)
    return Channel(m.id, m.name.strip(), kind, m.url.strip(), m.reminder_seconds)


def delivery_to_proto(d: Delivery) -> pb.Delivery:
    """A delivery log entry on the wire."""
    return pb.Delivery(
        id=d.id, channel_id=d.channel_id, alert_id=d.alert_id, event=d.event,
        attempts=d.attempts, delivered=d.delivered, error=d.error, at=d.at,
    )  # fmt: skip


def window_to_proto(w: MaintenanceWindow) -> pb.MaintenanceWindow:
    """A maintenance window on the wire."""
    return pb.MaintenanceWindow(
        id=w.id, cluster_id=w.cluster_id, start=w.start, duration_seconds=w.duration_seconds,
        recurrence=RECURRENCE[w.recurrence], description=w.description,
    )  # fmt: skip


def window_from_proto(m: pb.MaintenanceWindow) -> MaintenanceWindow:
    """A maintenance window from the wire."""
    if m.recurrence not in _RECURRENCE_BACK and m.recurrence != pb.RECURRENCE_UNSPECIFIED:
        raise InvalidArgument(
            f"recurrence {m.recurrence} is unknown; use RECURRENCE_ONCE, _DAILY or _WEEKLY"
        )
    recurrence = _RECURRENCE_BACK.get(m.recurrence, Recurrence.ONCE)
    return MaintenanceWindow(
        m.id, m.cluster_id, m.start, m.duration_seconds, recurrence, m.description.strip()
    )


def uptime_to_proto(u: UptimeFigures) -> pb.UptimeWindow:
    """One uptime window on the wire."""
    message = pb.UptimeWindow(
        window_seconds=u.window_seconds, latency_p50_ms=u.latency_p50_ms,
        latency_p95_ms=u.latency_p95_ms, results=u.results,
    )  # fmt: skip
    if u.uptime_percent is not None:
        message.uptime_percent = u.uptime_percent
    return message
