"""Alerts that do not storm: one alert per check and cluster, its failing droplets as members.

A transition to unhealthy opens the group's alert or adds the target to it; a transition out of
unhealthy takes the target off, and the alert resolves when none is left. Transitions inside a
maintenance window open nothing (they are still stored and shown).
"""

from __future__ import annotations

from dataclasses import replace

from clustergenie_server.db.health_alert_repository import AlertRepository
from clustergenie_server.domain.health import Alert, HealthState, Transition


def group_key(t: Transition, fan_out: bool) -> str:
    """Droplets of one cluster checked by one definition share an alert."""
    return f"{t.check_id}:cluster:{t.cluster_id}" if fan_out else f"{t.check_id}:{t.target}"


def subject(check_name: str, alert_members: tuple[str, ...], fan_out: bool, of: int) -> str:
    """'web-http: 3 of 3 droplets of cluster 4 unhealthy' or 'web-http: droplet:12 unhealthy'."""
    if fan_out:
        return f"{check_name}: {len(alert_members)} of {of} droplets unhealthy"
    return f"{check_name}: {', '.join(alert_members)} unhealthy"


def apply(
    repo: AlertRepository,
    t: Transition,
    *,
    check_name: str,
    fan_out: bool,
    targets_total: int,
    silenced: bool,
) -> tuple[Alert, str] | None:
    """Open, extend, shrink or resolve the group's alert; (alert, notice) when it changed."""
    key = group_key(t, fan_out)
    alert = repo.open_alert(key)
    if t.to_state is HealthState.UNHEALTHY:
        if alert is None:
            if silenced:
                return None
            members: tuple[str, ...] = (t.target,)
            new = Alert(
                0,
                t.check_id,
                t.cluster_id,
                subject(check_name, members, fan_out, targets_total),
                members,
                t.at,
            )
            return repo.add_alert(key, new), "opened"
        if t.target in alert.members:
            return None
        members = (*alert.members, t.target)
        alert = replace(
            alert, members=members, subject=subject(check_name, members, fan_out, targets_total)
        )
        return repo.update_alert(alert), "updated"
    if alert is None or t.target not in alert.members:
        return None
    members = tuple(m for m in alert.members if m != t.target)
    if members:
        alert = replace(
            alert, members=members, subject=subject(check_name, members, fan_out, targets_total)
        )
        return repo.update_alert(alert), "updated"
    return repo.update_alert(replace(alert, resolved_at=t.at)), "resolved"
