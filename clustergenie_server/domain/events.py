"""Domain events: what changed, published after the change is committed."""

from __future__ import annotations

from dataclasses import dataclass

from clustergenie_server.domain.models import Cluster, Droplet, Job


@dataclass(frozen=True, slots=True)
class ClusterChanged:
    """A cluster was created or its status or counts changed."""

    cluster: Cluster


@dataclass(frozen=True, slots=True)
class DropletChanged:
    """A droplet was created or changed state, size, address or lock."""

    droplet: Droplet


@dataclass(frozen=True, slots=True)
class JobChanged:
    """A job was queued, made progress, or finished."""

    job: Job


Event = ClusterChanged | DropletChanged | JobChanged
