"""What a metric graph marks, Qt-free: shaded spans (faults, maintenance) and moments (scaling
events, deploys), from the server's faults and deployments.

API (for every graph of a cluster or droplet; widgets/graph_tools.Annotations draws them):
    Span(start, end, "fault", "cpu hog"); Marker(time, "deploy 1.4.2", "deploy")
    fault_spans(faults, cluster_id, start, now, droplet_id=None) -> [Span]
    deploy_markers(deployments, cluster_id, start, droplet_id=None) -> [Marker]
droplet_id None: everything of the cluster; a droplet's id: what touched it (its own faults and
deploys, and the cluster-wide ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clustergenie_gui.client.diagnosis_types import Deployment
from clustergenie_gui.client.telemetry_types import Fault


@dataclass(frozen=True, slots=True)
class Span:
    """A shaded stretch of time: a fault (red) or maintenance (blue)."""

    start: float
    end: float
    kind: str = "fault"  # "fault" or "maintenance"
    label: str = ""


@dataclass(frozen=True, slots=True)
class Marker:
    """A moment: a scaling event or a deploy, drawn as a dashed line with a label."""

    time: float
    label: str
    kind: str = "scaling"  # "scaling" or "deploy"


def _touches(item_droplet: int, droplet_id: int | None) -> bool:
    return droplet_id is None or item_droplet in (0, droplet_id)


def fault_spans(
    faults: Iterable[Fault],
    cluster_id: int,
    start: float,
    now: float,
    droplet_id: int | None = None,
) -> list[Span]:
    """The faults of the cluster (or droplet) that overlap [start, now], oldest first; one
    still active ends at now, a scheduled one that has not begun is left out."""
    spans = []
    for fault in faults:
        if fault.cluster_id != cluster_id or fault.start_at is None:
            continue
        if not _touches(fault.droplet_id, droplet_id):
            continue
        begin = fault.start_at.timestamp()
        if fault.ended_at is not None:
            end = fault.ended_at.timestamp()
        elif fault.duration_seconds:
            end = min(begin + fault.duration_seconds, now)
        else:
            end = now
        if begin <= now and end >= start:
            spans.append(
                Span(begin, max(begin, end), "fault", fault.description or fault.kind.label)
            )
    return sorted(spans, key=lambda span: span.start)


def deploy_markers(
    deployments: Iterable[Deployment],
    cluster_id: int,
    start: float,
    droplet_id: int | None = None,
) -> list[Marker]:
    """A marker where each deploy (or rollback) of the cluster began, from start on."""
    markers = []
    for deployment in deployments:
        if deployment.cluster_id != cluster_id or deployment.started_at < start:
            continue
        if not _touches(deployment.droplet_id, droplet_id):
            continue
        verb = "rollback" if deployment.rollback else "deploy"
        canary = " (canary)" if deployment.droplet_id else ""
        label = f"{verb} {deployment.version}{canary}"
        markers.append(Marker(deployment.started_at, label, "deploy"))
    return sorted(markers, key=lambda marker: marker.time)
