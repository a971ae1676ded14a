"""InfoService messages -> ServerInfo (only the convert_* modules see *_pb2)."""

from __future__ import annotations

from clustergenie_gui.client.convert import _time
from clustergenie_gui.client.info_types import ServerInfo
from clustergenie_server.api.v1 import info_pb2


def server_info_request() -> info_pb2.GetServerInfoRequest:
    """The (empty) GetServerInfo request."""
    return info_pb2.GetServerInfoRequest()


def server_info_from_pb(message: info_pb2.ServerInfo) -> ServerInfo:
    """The server's description as the client's value."""
    return ServerInfo(
        version=message.version,
        grpcio_version=message.grpcio_version,
        protobuf_version=message.protobuf_version,
        python_version=message.python_version,
        database=message.database,
        bus=message.bus,
        cache=message.cache,
        tls=message.tls,
        started_at=_time(message, "started_at"),
        time_scale=message.time_scale,
    )
