"""DemoService messages to the plain demo types."""

from __future__ import annotations

from clustergenie_gui.client.demo_types import DemoMilestone, DemoState
from clustergenie_server.api.v1 import demo_pb2 as pb


def demo_state(m: pb.DemoState) -> DemoState:
    """The banner's state from the server's answer."""
    return DemoState(
        running=m.running,
        paused=m.paused,
        finished=m.finished,
        step=m.step,
        step_count=m.step_count,
        title=m.title,
        detail=m.detail,
        next_title=m.next_title,
        seconds_to_next=m.seconds_to_next,
        milestones=tuple(DemoMilestone(x.name, x.reached, x.detail) for x in m.milestones),
    )
