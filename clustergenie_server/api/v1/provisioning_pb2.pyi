import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from clustergenie_server.api.v1 import common_pb2 as _common_pb2
from clustergenie_server.api.v1 import jobs_pb2 as _jobs_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Region(_message.Message):
    __slots__ = ("slug", "name", "available")
    SLUG_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    slug: str
    name: str
    available: bool
    def __init__(self, slug: _Optional[str] = ..., name: _Optional[str] = ..., available: _Optional[bool] = ...) -> None: ...

class Size(_message.Message):
    __slots__ = ("slug", "vcpus", "memory_mb", "disk_gb", "price_monthly", "price_hourly")
    SLUG_FIELD_NUMBER: _ClassVar[int]
    VCPUS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MB_FIELD_NUMBER: _ClassVar[int]
    DISK_GB_FIELD_NUMBER: _ClassVar[int]
    PRICE_MONTHLY_FIELD_NUMBER: _ClassVar[int]
    PRICE_HOURLY_FIELD_NUMBER: _ClassVar[int]
    slug: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    price_monthly: float
    price_hourly: float
    def __init__(self, slug: _Optional[str] = ..., vcpus: _Optional[int] = ..., memory_mb: _Optional[int] = ..., disk_gb: _Optional[int] = ..., price_monthly: _Optional[float] = ..., price_hourly: _Optional[float] = ...) -> None: ...

class Image(_message.Message):
    __slots__ = ("slug", "name", "distribution")
    SLUG_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    slug: str
    name: str
    distribution: str
    def __init__(self, slug: _Optional[str] = ..., name: _Optional[str] = ..., distribution: _Optional[str] = ...) -> None: ...

class GetCatalogRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Catalog(_message.Message):
    __slots__ = ("regions", "sizes", "images")
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    SIZES_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    regions: _containers.RepeatedCompositeFieldContainer[Region]
    sizes: _containers.RepeatedCompositeFieldContainer[Size]
    images: _containers.RepeatedCompositeFieldContainer[Image]
    def __init__(self, regions: _Optional[_Iterable[_Union[Region, _Mapping]]] = ..., sizes: _Optional[_Iterable[_Union[Size, _Mapping]]] = ..., images: _Optional[_Iterable[_Union[Image, _Mapping]]] = ...) -> None: ...

class Cluster(_message.Message):
    __slots__ = ("id", "name", "region", "size", "image", "tags", "status", "droplet_count", "active_droplet_count", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DROPLET_COUNT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_DROPLET_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    region: str
    size: str
    image: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    status: _common_pb2.ClusterStatus
    droplet_count: int
    active_droplet_count: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., region: _Optional[str] = ..., size: _Optional[str] = ..., image: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., status: _Optional[_Union[_common_pb2.ClusterStatus, str]] = ..., droplet_count: _Optional[int] = ..., active_droplet_count: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Droplet(_message.Message):
    __slots__ = ("id", "cluster_id", "name", "region", "size", "image", "status", "ip_address", "locked", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    cluster_id: int
    name: str
    region: str
    size: str
    image: str
    status: _common_pb2.DropletStatus
    ip_address: str
    locked: bool
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[int] = ..., cluster_id: _Optional[int] = ..., name: _Optional[str] = ..., region: _Optional[str] = ..., size: _Optional[str] = ..., image: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.DropletStatus, str]] = ..., ip_address: _Optional[str] = ..., locked: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateClusterRequest(_message.Message):
    __slots__ = ("name", "region", "size", "image", "droplet_count", "tags")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    DROPLET_COUNT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    region: str
    size: str
    image: str
    droplet_count: int
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., region: _Optional[str] = ..., size: _Optional[str] = ..., image: _Optional[str] = ..., droplet_count: _Optional[int] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class ClusterActionResponse(_message.Message):
    __slots__ = ("cluster", "droplets", "jobs")
    CLUSTER_FIELD_NUMBER: _ClassVar[int]
    DROPLETS_FIELD_NUMBER: _ClassVar[int]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    cluster: Cluster
    droplets: _containers.RepeatedCompositeFieldContainer[Droplet]
    jobs: _containers.RepeatedCompositeFieldContainer[_jobs_pb2.Job]
    def __init__(self, cluster: _Optional[_Union[Cluster, _Mapping]] = ..., droplets: _Optional[_Iterable[_Union[Droplet, _Mapping]]] = ..., jobs: _Optional[_Iterable[_Union[_jobs_pb2.Job, _Mapping]]] = ...) -> None: ...

class ListClustersRequest(_message.Message):
    __slots__ = ("include_deleted",)
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    include_deleted: bool
    def __init__(self, include_deleted: _Optional[bool] = ...) -> None: ...

class ListClustersResponse(_message.Message):
    __slots__ = ("clusters",)
    CLUSTERS_FIELD_NUMBER: _ClassVar[int]
    clusters: _containers.RepeatedCompositeFieldContainer[Cluster]
    def __init__(self, clusters: _Optional[_Iterable[_Union[Cluster, _Mapping]]] = ...) -> None: ...

class GetClusterRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class DeleteClusterRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class AddDropletsRequest(_message.Message):
    __slots__ = ("cluster_id", "count", "size")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    count: int
    size: str
    def __init__(self, cluster_id: _Optional[int] = ..., count: _Optional[int] = ..., size: _Optional[str] = ...) -> None: ...

class ListDropletsRequest(_message.Message):
    __slots__ = ("cluster_id", "include_destroyed")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DESTROYED_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    include_destroyed: bool
    def __init__(self, cluster_id: _Optional[int] = ..., include_destroyed: _Optional[bool] = ...) -> None: ...

class ListDropletsResponse(_message.Message):
    __slots__ = ("droplets",)
    DROPLETS_FIELD_NUMBER: _ClassVar[int]
    droplets: _containers.RepeatedCompositeFieldContainer[Droplet]
    def __init__(self, droplets: _Optional[_Iterable[_Union[Droplet, _Mapping]]] = ...) -> None: ...

class GetDropletRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class DropletRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class ResizeDropletRequest(_message.Message):
    __slots__ = ("id", "size")
    ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    id: int
    size: str
    def __init__(self, id: _Optional[int] = ..., size: _Optional[str] = ...) -> None: ...

class DropletActionResponse(_message.Message):
    __slots__ = ("droplet", "job")
    DROPLET_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    droplet: Droplet
    job: _jobs_pb2.Job
    def __init__(self, droplet: _Optional[_Union[Droplet, _Mapping]] = ..., job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class WatchInventoryRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class InventoryUpdate(_message.Message):
    __slots__ = ("cluster", "droplet", "snapshot_complete", "clusters", "droplets")
    CLUSTER_FIELD_NUMBER: _ClassVar[int]
    DROPLET_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    CLUSTERS_FIELD_NUMBER: _ClassVar[int]
    DROPLETS_FIELD_NUMBER: _ClassVar[int]
    cluster: Cluster
    droplet: Droplet
    snapshot_complete: bool
    clusters: _containers.RepeatedCompositeFieldContainer[Cluster]
    droplets: _containers.RepeatedCompositeFieldContainer[Droplet]
    def __init__(self, cluster: _Optional[_Union[Cluster, _Mapping]] = ..., droplet: _Optional[_Union[Droplet, _Mapping]] = ..., snapshot_complete: _Optional[bool] = ..., clusters: _Optional[_Iterable[_Union[Cluster, _Mapping]]] = ..., droplets: _Optional[_Iterable[_Union[Droplet, _Mapping]]] = ...) -> None: ...
