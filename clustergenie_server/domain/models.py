"""Frozen dataclasses for clusters, droplets and jobs, and the enums of their life cycles."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class DropletStatus(enum.StrEnum):
    """DigitalOcean-like droplet statuses, plus `errored` for a provision that failed."""

    NEW = "new"
    ACTIVE = "active"
    OFF = "off"
    ARCHIVE = "archive"
    ERRORED = "errored"


class ClusterStatus(enum.StrEnum):
    """Life cycle of a cluster."""

    ACTIVE = "active"
    DELETING = "deleting"
    DELETED = "deleted"


class JobState(enum.StrEnum):
    """Where a job is in its life; the last three are final."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """True once the job will not change again."""
        return self in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


class JobKind(enum.StrEnum):
    """What a job does; each kind has one handler in services.job_handlers."""

    PROVISION_DROPLET = "provision_droplet"
    RESIZE_DROPLET = "resize_droplet"
    REBOOT_DROPLET = "reboot_droplet"
    POWER_OFF_DROPLET = "power_off_droplet"
    POWER_ON_DROPLET = "power_on_droplet"
    DESTROY_DROPLET = "destroy_droplet"
    DELETE_CLUSTER = "delete_cluster"
    SCALE_CLUSTER = "scale_cluster"
    DEPLOY_VERSION = "deploy_version"
    FREE_DISK = "free_disk"


@dataclass(frozen=True, slots=True)
class Cluster:
    """A named group of droplets in one region."""

    id: int
    name: str
    region: str
    size: str
    image: str
    tags: tuple[str, ...]
    status: ClusterStatus
    created_at: datetime
    updated_at: datetime
    droplet_count: int = 0
    active_droplet_count: int = 0


@dataclass(frozen=True, slots=True)
class Droplet:
    """One simulated virtual machine."""

    id: int
    cluster_id: int
    name: str
    region: str
    size: str
    image: str
    status: DropletStatus
    ip_address: str
    locked: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Job:
    """A persistent unit of long work and everything a person needs to follow it."""

    id: int
    kind: JobKind
    state: JobState
    cluster_id: int
    droplet_id: int | None
    target_name: str
    params: dict[str, str] = field(default_factory=dict)
    progress: float = 0.0
    step: str = ""
    step_index: int = 0
    step_count: int = 0
    attempt: int = 1
    max_attempts: int = 1
    error: str = ""
    cancel_requested: bool = False
    retry_of: int | None = None
    retried_as: int | None = None  # the job that retries this one, once someone retried it
    timeout_seconds: float = 300.0
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None
    next_run_at: datetime | None = None
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
