"""Versions and deploys of a cluster's software: plain, frozen domain types."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

INITIAL_VERSION = "v1.0.0"
_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")


class DeployState(enum.StrEnum):
    """Where a deploy is in its life."""

    ROLLING = "rolling"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Deployment:
    """One rollout of a version to a cluster (droplet_id None) or to one droplet (a canary).

    Times are simulated Unix seconds, like the metrics they are compared with.
    """

    id: int
    cluster_id: int
    droplet_id: int | None
    version: str
    previous_version: str
    rollback: bool
    state: DeployState
    job_id: int | None
    started_at: float
    finished_at: float | None
    droplets_done: int = 0
    droplets_total: int = 0


def next_version(current: str) -> str:
    """The next patch version after `current` (v1.0.0 -> v1.0.1); unknown shapes get a suffix."""
    if m := _VERSION.match(current):
        major, minor, patch = (int(g) for g in m.groups())
        return f"v{major}.{minor}.{patch + 1}"
    return f"{current}-next"


def valid_version(version: str) -> bool:
    """A version an operator may deploy: 1-40 printable characters without spaces."""
    return 0 < len(version) <= 40 and version.isprintable() and " " not in version
