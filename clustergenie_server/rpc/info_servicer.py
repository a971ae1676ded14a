"""InfoService over gRPC: this server's versions and the kind of each backend it runs on."""

from __future__ import annotations

from datetime import datetime

from clustergenie_server.api.v1 import info_pb2 as pb
from clustergenie_server.api.v1 import info_pb2_grpc
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.settings import Settings
from clustergenie_server.version import runtime_versions
from clustergenie_server.wire.convert import timestamp


def describe(settings: Settings, started_at: datetime) -> pb.ServerInfo:
    """The answer of GetServerInfo: nothing in it is a secret (no URL, no token)."""
    versions = runtime_versions()
    dialect = settings.database_url.partition(":")[0].partition("+")[0]
    return pb.ServerInfo(
        version=versions["clustergenie"],
        grpcio_version=versions["grpcio"],
        protobuf_version=versions["protobuf"],
        python_version=versions["python"],
        database=dialect,
        bus="kafka" if settings.kafka_bootstrap else "in-process",
        cache="redis" if settings.redis_url else "in-process",
        tls=bool(settings.auth.tls_cert),
        started_at=timestamp(started_at),
        time_scale=settings.simulation.time_scale,
    )


class InfoServicer(info_pb2_grpc.InfoServiceServicer):
    """Thin: the description is built once, when the server is wired."""

    def __init__(self, info: pb.ServerInfo) -> None:
        self._info = info

    async def GetServerInfo(
        self,
        request: pb.GetServerInfoRequest,
        context: Context,
    ) -> pb.ServerInfo:
        return self._info
