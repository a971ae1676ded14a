from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class DropletStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DROPLET_STATUS_UNSPECIFIED: _ClassVar[DropletStatus]
    DROPLET_STATUS_NEW: _ClassVar[DropletStatus]
    DROPLET_STATUS_ACTIVE: _ClassVar[DropletStatus]
    DROPLET_STATUS_OFF: _ClassVar[DropletStatus]
    DROPLET_STATUS_ARCHIVE: _ClassVar[DropletStatus]
    DROPLET_STATUS_ERRORED: _ClassVar[DropletStatus]

class ClusterStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLUSTER_STATUS_UNSPECIFIED: _ClassVar[ClusterStatus]
    CLUSTER_STATUS_ACTIVE: _ClassVar[ClusterStatus]
    CLUSTER_STATUS_DELETING: _ClassVar[ClusterStatus]
    CLUSTER_STATUS_DELETED: _ClassVar[ClusterStatus]

class JobState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_STATE_UNSPECIFIED: _ClassVar[JobState]
    JOB_STATE_QUEUED: _ClassVar[JobState]
    JOB_STATE_RUNNING: _ClassVar[JobState]
    JOB_STATE_SUCCEEDED: _ClassVar[JobState]
    JOB_STATE_FAILED: _ClassVar[JobState]
    JOB_STATE_CANCELLED: _ClassVar[JobState]

class JobKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_KIND_UNSPECIFIED: _ClassVar[JobKind]
    JOB_KIND_PROVISION_DROPLET: _ClassVar[JobKind]
    JOB_KIND_RESIZE_DROPLET: _ClassVar[JobKind]
    JOB_KIND_REBOOT_DROPLET: _ClassVar[JobKind]
    JOB_KIND_POWER_OFF_DROPLET: _ClassVar[JobKind]
    JOB_KIND_POWER_ON_DROPLET: _ClassVar[JobKind]
    JOB_KIND_DESTROY_DROPLET: _ClassVar[JobKind]
    JOB_KIND_DELETE_CLUSTER: _ClassVar[JobKind]
    JOB_KIND_SCALE_CLUSTER: _ClassVar[JobKind]
    JOB_KIND_DEPLOY_VERSION: _ClassVar[JobKind]
    JOB_KIND_FREE_DISK: _ClassVar[JobKind]
DROPLET_STATUS_UNSPECIFIED: DropletStatus
DROPLET_STATUS_NEW: DropletStatus
DROPLET_STATUS_ACTIVE: DropletStatus
DROPLET_STATUS_OFF: DropletStatus
DROPLET_STATUS_ARCHIVE: DropletStatus
DROPLET_STATUS_ERRORED: DropletStatus
CLUSTER_STATUS_UNSPECIFIED: ClusterStatus
CLUSTER_STATUS_ACTIVE: ClusterStatus
CLUSTER_STATUS_DELETING: ClusterStatus
CLUSTER_STATUS_DELETED: ClusterStatus
JOB_STATE_UNSPECIFIED: JobState
JOB_STATE_QUEUED: JobState
JOB_STATE_RUNNING: JobState
JOB_STATE_SUCCEEDED: JobState
JOB_STATE_FAILED: JobState
JOB_STATE_CANCELLED: JobState
JOB_KIND_UNSPECIFIED: JobKind
JOB_KIND_PROVISION_DROPLET: JobKind
JOB_KIND_RESIZE_DROPLET: JobKind
JOB_KIND_REBOOT_DROPLET: JobKind
JOB_KIND_POWER_OFF_DROPLET: JobKind
JOB_KIND_POWER_ON_DROPLET: JobKind
JOB_KIND_DESTROY_DROPLET: JobKind
JOB_KIND_DELETE_CLUSTER: JobKind
JOB_KIND_SCALE_CLUSTER: JobKind
JOB_KIND_DEPLOY_VERSION: JobKind
JOB_KIND_FREE_DISK: JobKind
