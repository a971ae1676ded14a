"""What the demo shows: its milestones and a snapshot of where the script is."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class MilestoneName(enum.StrEnum):
    """The scripted outcomes the story must reach, in the order it reaches them."""

    SCALE_OUT = "scale_out"
    BAD_DEPLOY_DIAGNOSED = "bad_deploy_diagnosed"
    ROLLBACK_RESOLVED = "rollback_resolved"
    LEAK_ALERT_WITH_CAUSE = "leak_alert_with_cause"


@dataclass(frozen=True, slots=True)
class Milestone:
    """One outcome and what was seen when it was reached ("" while not reached)."""

    name: MilestoneName
    reached: bool = False
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DemoSnapshot:
    """Where the demo is, for the banner: the step shown, the next one, and the milestones."""

    paused: bool
    finished: bool
    step: int  # 1-based; 0 before the first step starts
    step_count: int
    title: str
    detail: str
    next_title: str
    seconds_to_next: float  # wall-clock seconds
    milestones: tuple[Milestone, ...]
    time_scale: float
