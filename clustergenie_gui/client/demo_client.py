"""DemoClient: the DemoService RPCs (the banner's state, pause, skip) over the app's channel."""

from __future__ import annotations

from typing import Any

import grpc

from clustergenie_gui.client.client import ClientError, ClusterGenieClient
from clustergenie_gui.client.convert_demo import demo_state
from clustergenie_gui.client.demo_types import DemoState
from clustergenie_server.api.v1 import demo_pb2 as pb
from clustergenie_server.api.v1 import demo_pb2_grpc

DEADLINE = 5.0  # the banner asks every second; a slow answer is skipped, not queued


class DemoClient:
    """A stub on the client's current channel (a new one after each reconnect)."""

    def __init__(self, client: ClusterGenieClient) -> None:
        self._client = client
        self._channel: Any = None
        self._stub: demo_pb2_grpc.DemoServiceStub | None = None

    def _demo(self) -> demo_pb2_grpc.DemoServiceStub:
        channel = self._client.channel()
        if channel is not self._channel or self._stub is None:
            self._channel = channel
            self._stub = demo_pb2_grpc.DemoServiceStub(channel)
        return self._stub

    async def get(self) -> DemoState:
        """Where the demo is (running False on a server without --demo)."""
        try:
            return demo_state(await self._demo().GetDemo(pb.GetDemoRequest(), timeout=DEADLINE))
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error

    async def pause(self, paused: bool) -> DemoState:
        """Hold (True) or release the countdown to the next step."""
        request = pb.PauseDemoRequest(paused=paused)
        try:
            return demo_state(await self._demo().PauseDemo(request, timeout=DEADLINE))
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error

    async def skip(self) -> DemoState:
        """Start the next step now."""
        try:
            return demo_state(await self._demo().SkipDemo(pb.SkipDemoRequest(), timeout=DEADLINE))
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error
