import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from clustergenie_server.api.v1 import health_pb2 as _health_pb2
from clustergenie_server.api.v1 import jobs_pb2 as _jobs_pb2
from clustergenie_server.api.v1 import provisioning_pb2 as _provisioning_pb2
from clustergenie_server.api.v1 import scaling_pb2 as _scaling_pb2
from clustergenie_server.api.v1 import telemetry_pb2 as _telemetry_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventEnvelope(_message.Message):
    __slots__ = ("event_id", "schema_version", "occurred_at", "key", "origin", "job_details", "cluster_changed", "droplet_changed", "job_changed", "scaling_decided", "fault_changed", "health_changed")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_VERSION_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    JOB_DETAILS_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_CHANGED_FIELD_NUMBER: _ClassVar[int]
    DROPLET_CHANGED_FIELD_NUMBER: _ClassVar[int]
    JOB_CHANGED_FIELD_NUMBER: _ClassVar[int]
    SCALING_DECIDED_FIELD_NUMBER: _ClassVar[int]
    FAULT_CHANGED_FIELD_NUMBER: _ClassVar[int]
    HEALTH_CHANGED_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    schema_version: int
    occurred_at: _timestamp_pb2.Timestamp
    key: str
    origin: str
    job_details: JobDetails
    cluster_changed: _provisioning_pb2.Cluster
    droplet_changed: _provisioning_pb2.Droplet
    job_changed: _jobs_pb2.Job
    scaling_decided: _scaling_pb2.ScalingDecision
    fault_changed: _telemetry_pb2.Fault
    health_changed: _health_pb2.HealthEvent
    def __init__(self, event_id: _Optional[str] = ..., schema_version: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., key: _Optional[str] = ..., origin: _Optional[str] = ..., job_details: _Optional[_Union[JobDetails, _Mapping]] = ..., cluster_changed: _Optional[_Union[_provisioning_pb2.Cluster, _Mapping]] = ..., droplet_changed: _Optional[_Union[_provisioning_pb2.Droplet, _Mapping]] = ..., job_changed: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ..., scaling_decided: _Optional[_Union[_scaling_pb2.ScalingDecision, _Mapping]] = ..., fault_changed: _Optional[_Union[_telemetry_pb2.Fault, _Mapping]] = ..., health_changed: _Optional[_Union[_health_pb2.HealthEvent, _Mapping]] = ...) -> None: ...

class JobDetails(_message.Message):
    __slots__ = ("params", "next_run_at", "lease_owner", "lease_expires_at")
    class ParamsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_RUN_AT_FIELD_NUMBER: _ClassVar[int]
    LEASE_OWNER_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    params: _containers.ScalarMap[str, str]
    next_run_at: _timestamp_pb2.Timestamp
    lease_owner: str
    lease_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, params: _Optional[_Mapping[str, str]] = ..., next_run_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lease_owner: _Optional[str] = ..., lease_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
