import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetServerInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ServerInfo(_message.Message):
    __slots__ = ("version", "grpcio_version", "protobuf_version", "python_version", "database", "bus", "cache", "tls", "started_at", "time_scale")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    GRPCIO_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROTOBUF_VERSION_FIELD_NUMBER: _ClassVar[int]
    PYTHON_VERSION_FIELD_NUMBER: _ClassVar[int]
    DATABASE_FIELD_NUMBER: _ClassVar[int]
    BUS_FIELD_NUMBER: _ClassVar[int]
    CACHE_FIELD_NUMBER: _ClassVar[int]
    TLS_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    TIME_SCALE_FIELD_NUMBER: _ClassVar[int]
    version: str
    grpcio_version: str
    protobuf_version: str
    python_version: str
    database: str
    bus: str
    cache: str
    tls: bool
    started_at: _timestamp_pb2.Timestamp
    time_scale: float
    def __init__(self, version: _Optional[str] = ..., grpcio_version: _Optional[str] = ..., protobuf_version: _Optional[str] = ..., python_version: _Optional[str] = ..., database: _Optional[str] = ..., bus: _Optional[str] = ..., cache: _Optional[str] = ..., tls: _Optional[bool] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., time_scale: _Optional[float] = ...) -> None: ...
