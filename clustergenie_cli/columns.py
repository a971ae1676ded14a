"""The table columns of each kind of record (JSON and YAML print every field instead)."""

from __future__ import annotations

from collections.abc import Sequence

from clustergenie_cli.output import Column

CLUSTER: Sequence[Column] = (
    ("ID", lambda c: c.id),
    ("Name", lambda c: c.name),
    ("Region", lambda c: c.region),
    ("Size", lambda c: c.size),
    ("Image", lambda c: c.image),
    ("Status", lambda c: c.status),
    ("Droplets", lambda c: f"{c.active_droplet_count}/{c.droplet_count}"),
    ("Tags", lambda c: c.tags),
)
DROPLET: Sequence[Column] = (
    ("ID", lambda d: d.id),
    ("Name", lambda d: d.name),
    ("Cluster", lambda d: d.cluster_id),
    ("Region", lambda d: d.region),
    ("Size", lambda d: d.size),
    ("Status", lambda d: d.status),
    ("IP", lambda d: d.ip_address),
    ("Locked", lambda d: d.locked),
)
JOB: Sequence[Column] = (
    ("ID", lambda j: j.id),
    ("Kind", lambda j: j.kind),
    ("State", lambda j: j.state),
    ("Target", lambda j: j.target_name),
    ("Progress", lambda j: f"{j.progress:.0%}"),
    ("Step", lambda j: j.step),
    ("Attempt", lambda j: f"{j.attempt}/{j.max_attempts}"),
    ("Error", lambda j: j.error),
)
FAULT: Sequence[Column] = (
    ("ID", lambda f: f.id),
    ("Kind", lambda f: f.kind),
    ("Cluster", lambda f: f.cluster_id),
    ("Droplet", lambda f: f.droplet_id or ""),
    ("Magnitude", lambda f: f.magnitude),
    ("State", lambda f: f.state),
    ("Starts", lambda f: f.start_at),
    ("Duration s", lambda f: f.duration_seconds or ""),
    ("Description", lambda f: f.description),
)
POLICY: Sequence[Column] = (
    ("Cluster", lambda p: p.cluster_id),
    ("Metric", lambda p: p.metric),
    ("Target", lambda p: p.target),
    ("Min", lambda p: p.min_droplets),
    ("Max", lambda p: p.max_droplets),
    ("Enabled", lambda p: p.enabled),
)
DECISION: Sequence[Column] = (
    ("ID", lambda d: d.id),
    ("Time", lambda d: d.time),
    ("Cluster", lambda d: d.cluster_id),
    ("Metric", lambda d: d.metric),
    ("Value", lambda d: round(d.metric_value, 2)),
    ("Target", lambda d: d.target),
    ("Droplets", lambda d: f"{d.current_droplets}->{d.desired_droplets}"),
    ("Action", lambda d: d.action),
    ("Rule", lambda d: d.rule),
    ("Reason", lambda d: d.reason),
)
AUDIT: Sequence[Column] = (
    ("ID", lambda e: e.id),
    ("At", lambda e: e.at),
    ("Caller", lambda e: e.caller),
    ("Role", lambda e: e.role.label),
    ("Method", lambda e: e.method.rpartition("/")[2]),
    ("Targets", lambda e: e.targets),
    ("Outcome", lambda e: e.outcome),
)
IDENTITY: Sequence[Column] = (
    ("Name", lambda i: i.name),
    ("Role", lambda i: i.role.label),
)
