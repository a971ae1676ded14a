"""The demo's snapshot as its protobuf message."""

from __future__ import annotations

from clustergenie_server.api.v1 import demo_pb2 as pb
from clustergenie_server.domain.demo import DemoSnapshot


def demo_state(s: DemoSnapshot) -> pb.DemoState:
    """DemoState of a running demo."""
    return pb.DemoState(
        running=True,
        paused=s.paused,
        finished=s.finished,
        step=s.step,
        step_count=s.step_count,
        title=s.title,
        detail=s.detail,
        next_title=s.next_title,
        seconds_to_next=s.seconds_to_next,
        milestones=[
            pb.DemoMilestone(name=str(m.name), reached=m.reached, detail=m.detail)
            for m in s.milestones
        ],
        time_scale=s.time_scale,
    )
