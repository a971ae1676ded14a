from clustergenie_server.api.v1 import jobs_pb2 as _jobs_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Deployment(_message.Message):
    __slots__ = ("id", "cluster_id", "droplet_id", "version", "previous_version", "rollback", "state", "job_id", "started_at", "finished_at", "droplets_done", "droplets_total")
    ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    DROPLETS_DONE_FIELD_NUMBER: _ClassVar[int]
    DROPLETS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    id: int
    cluster_id: int
    droplet_id: int
    version: str
    previous_version: str
    rollback: bool
    state: str
    job_id: int
    started_at: float
    finished_at: float
    droplets_done: int
    droplets_total: int
    def __init__(self, id: _Optional[int] = ..., cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., version: _Optional[str] = ..., previous_version: _Optional[str] = ..., rollback: _Optional[bool] = ..., state: _Optional[str] = ..., job_id: _Optional[int] = ..., started_at: _Optional[float] = ..., finished_at: _Optional[float] = ..., droplets_done: _Optional[int] = ..., droplets_total: _Optional[int] = ...) -> None: ...

class DeployVersionRequest(_message.Message):
    __slots__ = ("cluster_id", "version", "droplet_id")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    version: str
    droplet_id: int
    def __init__(self, cluster_id: _Optional[int] = ..., version: _Optional[str] = ..., droplet_id: _Optional[int] = ...) -> None: ...

class RollbackDeployRequest(_message.Message):
    __slots__ = ("cluster_id",)
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    def __init__(self, cluster_id: _Optional[int] = ...) -> None: ...

class DeployResponse(_message.Message):
    __slots__ = ("deployment", "job")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    deployment: Deployment
    job: _jobs_pb2.Job
    def __init__(self, deployment: _Optional[_Union[Deployment, _Mapping]] = ..., job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class ListDeploymentsRequest(_message.Message):
    __slots__ = ("cluster_id",)
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    def __init__(self, cluster_id: _Optional[int] = ...) -> None: ...

class ListDeploymentsResponse(_message.Message):
    __slots__ = ("deployments", "version")
    DEPLOYMENTS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    deployments: _containers.RepeatedCompositeFieldContainer[Deployment]
    version: str
    def __init__(self, deployments: _Optional[_Iterable[_Union[Deployment, _Mapping]]] = ..., version: _Optional[str] = ...) -> None: ...
