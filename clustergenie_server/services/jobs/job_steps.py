"""A job's visible steps, and how far along a job is at a step (steps weigh what they last)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from clustergenie_server.services.jobs.job_context import JobContext

Effect = Callable[[JobContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Step:
    """One visible step of a job: a title for people, simulated seconds, then an effect.

    An effect that only changes the database stages its change (JobContext.stage_droplet): the
    engine commits it with the next step's progress, or with the job's end, in one transaction.
    """

    title: str
    seconds: float
    effect: Effect | None = None


def step_weights(steps: Sequence[Step]) -> list[float]:
    """Progress is weighted by each step's simulated duration (equal weights if all are 0)."""
    weights = [s.seconds for s in steps]
    return weights if any(weights) else [1.0] * len(steps)


def progress_at(steps: Sequence[Step], index: int) -> float:
    """The progress of a job at the start of steps[index]."""
    weights = step_weights(steps)
    return sum(weights[:index]) / sum(weights)
