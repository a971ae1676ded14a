"""What jobs ask of the cloud, as a Protocol: the engine and the handlers never see the simulation.

`simulation.cloud.SimulatedCloud` satisfies it (checked by mypy where app.build_server hands the
simulated cloud to the engine); a test may hand the engine any other object of this shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

# Called with the fraction of a step done so far (0.0 to 1.0).
ProgressCallback = Callable[[float], Awaitable[None]]


class CloudError(Exception):
    """A cloud action failed; `retryable` says whether trying again can help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class ProvisionFailure(Protocol):
    """How one provision attempt is going to fail."""

    @property
    def message(self) -> str:
        """What the cloud says went wrong."""
        ...

    @property
    def retryable(self) -> bool:
        """Whether another attempt can succeed."""
        ...


class JobCloud(Protocol):
    """The cloud's side of a job's steps: how long they take, which fail, what they get."""

    async def work(self, simulated_seconds: float, on_progress: ProgressCallback) -> None:
        """Wait out one step, reporting the fraction done now and then, and 1.0 at the end."""
        ...

    def provision_failure(self, *, region: str, image: str) -> ProvisionFailure | None:
        """How this provision attempt fails, or None when it succeeds."""
        ...

    def ip_address(self, droplet_id: int) -> str:
        """The public address a provisioned droplet gets."""
        ...
