"""InfoCalls: the InfoService RPC of ClusterGenieClient (what server it is talking to)."""

from __future__ import annotations

from clustergenie_gui.client import convert_info
from clustergenie_gui.client.info_types import ServerInfo
from clustergenie_gui.client.rpc_base import RpcClientBase
from clustergenie_server.api.v1 import info_pb2_grpc


class InfoCalls(RpcClientBase):
    """Mixed into ClusterGenieClient; the channel, deadline and errors come from RpcClientBase."""

    async def get_server_info(self) -> ServerInfo:
        """The server's version and backends (any role may ask)."""
        # A stub is a thin wrapper over the channel: making one per call costs nothing.
        stub = info_pb2_grpc.InfoServiceStub(self._require_channel())
        response = await self._call(stub.GetServerInfo, convert_info.server_info_request())
        return convert_info.server_info_from_pb(response)
