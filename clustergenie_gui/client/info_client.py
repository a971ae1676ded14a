"""InfoCalls: the InfoService RPC of ClusterGenieClient (what server it is talking to)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc.aio

from clustergenie_gui.client import convert_info
from clustergenie_gui.client.info_types import ServerInfo
from clustergenie_server.api.v1 import info_pb2_grpc

R = TypeVar("R")


class InfoCalls:
    """Mixed into ClusterGenieClient, which provides the channel and _call (deadline)."""

    def _require_channel(self) -> grpc.aio.Channel:
        raise NotImplementedError

    async def _call(self, method: Callable[..., Awaitable[R]], request: Any) -> R:
        raise NotImplementedError

    async def get_server_info(self) -> ServerInfo:
        """The server's version and backends (any role may ask)."""
        # A stub is a thin wrapper over the channel: making one per call costs nothing.
        stub = info_pb2_grpc.InfoServiceStub(self._require_channel())  # type: ignore[no-untyped-call]
        response = await self._call(stub.GetServerInfo, convert_info.server_info_request())
        return convert_info.server_info_from_pb(response)
