"""DemoService over gRPC: the demo's state for the banner, and the presenter's pause and skip."""

from __future__ import annotations

from clustergenie_server.api.v1 import demo_pb2 as pb
from clustergenie_server.api.v1 import demo_pb2_grpc
from clustergenie_server.domain.errors import FailedPrecondition
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.services.demo.director import DemoDirector
from clustergenie_server.wire.demo_convert import demo_state


class DemoServicer(demo_pb2_grpc.DemoServiceServicer):
    """Thin: the director decides; a server without --demo says so."""

    def __init__(self, director: DemoDirector | None) -> None:
        self._director = director

    def _playing(self) -> DemoDirector:
        if self._director is None:
            raise FailedPrecondition(
                "this server runs no demo; start it with --demo (clustergenie --demo)"
            )
        return self._director

    async def GetDemo(self, request: pb.GetDemoRequest, context: Context) -> pb.DemoState:
        if self._director is None:
            return pb.DemoState(running=False)
        return demo_state(self._director.snapshot())

    async def PauseDemo(self, request: pb.PauseDemoRequest, context: Context) -> pb.DemoState:
        return demo_state(self._playing().pause(request.paused))

    async def SkipDemo(self, request: pb.SkipDemoRequest, context: Context) -> pb.DemoState:
        return demo_state(self._playing().skip())
