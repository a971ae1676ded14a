"""Waiting in tests without sleep-and-hope: a fake clock to move by hand, and waited conditions."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

POLL_SECONDS = 0.01  # how often a condition is re-checked; it bounds no outcome, only latency


class FakeClock:
    """A monotonic clock that moves only when a test says so (inject it as `clock=`)."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let seconds pass."""
        self.now += seconds


async def eventually(
    condition: Callable[[], bool | Awaitable[bool]], *, timeout: float = 10.0, what: str = ""
) -> None:
    """Return once condition() holds; fail after timeout with what was awaited.

    For a state another task, process or server changes: the condition is the synchronisation
    point, the poll only how soon it is noticed.
    """
    try:
        async with asyncio.timeout(timeout):
            while True:
                result = condition()
                if await result if inspect.isawaitable(result) else result:
                    return
                await asyncio.sleep(POLL_SECONDS)
    except TimeoutError:
        raise AssertionError(f"still waiting after {timeout} s for {what or condition}") from None
