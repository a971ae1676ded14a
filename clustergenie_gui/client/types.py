"""Plain, Qt-free values the GUI works with: frozen dataclasses mirroring the gRPC contract."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class DropletStatus(enum.StrEnum):
    """Life cycle of a droplet, after DigitalOcean's droplet statuses."""

    UNKNOWN = "unknown"
    NEW = "new"
    ACTIVE = "active"
    OFF = "off"
    ARCHIVE = "archive"
    ERRORED = "errored"


class ClusterStatus(enum.StrEnum):
    """Life cycle of a cluster."""

    UNKNOWN = "unknown"
    ACTIVE = "active"
    DELETING = "deleting"
    DELETED = "deleted"


class JobState(enum.StrEnum):
    """Where a job is in its life; succeeded, failed and cancelled are final."""

    UNKNOWN = "unknown"
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
    """What a job does."""

    UNKNOWN = "unknown"
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

    @property
    def label(self) -> str:
        """A short human label, e.g. "provision droplet"."""
        return self.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Region:
    """A data-centre region, e.g. nyc1."""

    slug: str
    name: str
    available: bool = True


@dataclass(frozen=True, slots=True)
class Size:
    """A droplet size with its resources and price."""

    slug: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    price_monthly: float
    price_hourly: float = 0.0

    @property
    def label(self) -> str:
        """One line for a combo box: slug, resources and monthly price."""
        gigabytes = self.memory_mb / 1024
        memory = f"{gigabytes:g} GB" if self.memory_mb >= 1024 else f"{self.memory_mb} MB"
        return (
            f"{self.slug} — {self.vcpus} vCPU · {memory} · {self.disk_gb} GB disk"
            f" · ${self.price_monthly:,.2f}/mo"
        )


@dataclass(frozen=True, slots=True)
class Image:
    """An operating-system image."""

    slug: str
    name: str
    distribution: str = ""


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything a create-cluster form can offer."""

    regions: tuple[Region, ...] = ()
    sizes: tuple[Size, ...] = ()
    images: tuple[Image, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """A named group of droplets in one region."""

    id: int
    name: str
    region: str
    size: str
    image: str
    tags: tuple[str, ...] = ()
    status: ClusterStatus = ClusterStatus.ACTIVE
    droplet_count: int = 0
    active_droplet_count: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Droplet:
    """One simulated virtual machine."""

    id: int
    cluster_id: int
    name: str
    region: str
    size: str
    image: str = ""
    status: DropletStatus = DropletStatus.NEW
    ip_address: str = ""
    locked: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """A persistent unit of long work, as the server reports it."""

    id: int
    kind: JobKind
    state: JobState
    cluster_id: int = 0
    droplet_id: int = 0
    target_name: str = ""
    progress: float = 0.0
    step: str = ""
    step_index: int = 0
    step_count: int = 0
    attempt: int = 1
    max_attempts: int = 1
    error: str = ""
    cancel_requested: bool = False
    retry_of: int = 0
    retried_as_job_id: int = 0  # the job that retried this one, or 0
    retryable: bool = False  # the server's word: a retry makes sense by kind and end state
    timeout_seconds: float = 0.0
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClusterAction:
    """What a cluster action (create, add droplets, delete) started."""

    cluster: Cluster
    droplets: tuple[Droplet, ...] = ()
    jobs: tuple[Job, ...] = ()


@dataclass(frozen=True, slots=True)
class DropletAction:
    """What a droplet action started."""

    droplet: Droplet
    job: Job | None = None


@dataclass(frozen=True, slots=True)
class SnapshotComplete:
    """Marks the end of a watch stream's initial snapshot; changes follow."""


InventoryEvent = Cluster | Droplet | SnapshotComplete
JobEvent = Job | SnapshotComplete

# Telemetry and scaling values live in their own module to keep this one short.
from clustergenie_gui.client.telemetry_types import (  # noqa: E402
    Aggregation,
    DecisionRule,
    Fault,
    FaultKind,
    FaultState,
    Metric,
    MetricSample,
    RateLimit,
    RateLimitKind,
    ScalingAction,
    ScalingDecision,
    ScalingMetric,
    ScalingPolicy,
    ScalingRules,
    ScheduledMinimum,
    SelectPolicy,
    Series,
    SimulationClock,
)

DecisionEvent = ScalingDecision | SnapshotComplete

__all__ = [
    "Aggregation",
    "Catalog",
    "Cluster",
    "ClusterAction",
    "ClusterStatus",
    "DecisionEvent",
    "DecisionRule",
    "Droplet",
    "DropletAction",
    "DropletStatus",
    "Fault",
    "FaultKind",
    "FaultState",
    "Image",
    "InventoryEvent",
    "Job",
    "JobEvent",
    "JobKind",
    "JobState",
    "Metric",
    "MetricSample",
    "RateLimit",
    "RateLimitKind",
    "Region",
    "ScalingAction",
    "ScalingDecision",
    "ScalingMetric",
    "ScalingPolicy",
    "ScalingRules",
    "ScheduledMinimum",
    "SelectPolicy",
    "Series",
    "SimulationClock",
    "Size",
    "SnapshotComplete",
]
