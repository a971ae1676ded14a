"""Plain types of the demo's state (DemoService), for the banner."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoMilestone:
    """A scripted outcome and whether this run has reached it."""

    name: str
    reached: bool
    detail: str


@dataclass(frozen=True, slots=True)
class DemoState:
    """Where the server's demo is; running False: the server plays none."""

    running: bool
    paused: bool = False
    finished: bool = False
    step: int = 0
    step_count: int = 0
    title: str = ""
    detail: str = ""
    next_title: str = ""
    seconds_to_next: float = 0.0
    milestones: tuple[DemoMilestone, ...] = ()
