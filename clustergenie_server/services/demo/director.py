"""DemoDirector: runs the story's steps on simulated time, with the presenter's pause and skip."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from clustergenie_server.domain.demo import DemoSnapshot, Milestone, MilestoneName
from clustergenie_server.domain.errors import FailedPrecondition
from clustergenie_server.services.demo.story import STORY, Cast, Step
from clustergenie_server.services.demo.world import DemoWorld

log = logging.getLogger(__name__)


class DemoDirector:
    """Plays the steps in order: each waits its delay (shown as "next" with a countdown), then
    acts. Pause holds the countdown (the simulation itself runs on, so the world stays live);
    skip ends the current wait at once. A step that fails is logged and the story goes on."""

    def __init__(self, world: DemoWorld, steps: Sequence[Step] = STORY) -> None:
        self._world, self._steps = world, tuple(steps)
        self._cast = Cast()
        self._milestones = {name: Milestone(name) for name in MilestoneName}
        self._index = -1  # the step shown as "now"; -1 before the first
        self._detail = ""
        self._due: float | None = None  # simulated time the next step starts, while waiting
        self._paused_remaining: float | None = None  # simulated seconds left, while paused
        self._finished = False
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start playing (on the running loop)."""
        if self._task is None:
            self._task = asyncio.create_task(self._play(), name="demo")

    async def stop(self) -> None:
        """Stop wherever the story is."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def changed(self) -> None:
        """Returns at the next change of what snapshot() shows (step, countdown, milestone)."""
        self._changed.clear()
        await self._changed.wait()

    # -- the presenter's controls --------------------------------------------------------------

    def pause(self, paused: bool) -> DemoSnapshot:
        """Hold (True) or release (False) the countdown to the next step."""
        self._check_playing()
        clock = self._world.clock
        if paused and self._paused_remaining is None:
            self._paused_remaining = max(0.0, (self._due or clock.now()) - clock.now())
        elif not paused and self._paused_remaining is not None:
            if self._due is not None:
                self._due = clock.now() + self._paused_remaining
            self._paused_remaining = None
        self._poke()
        return self.snapshot()

    def skip(self) -> DemoSnapshot:
        """Start the next step now (also while paused: skipping is the presenter's choice)."""
        self._check_playing()
        if self._due is not None:
            self._due = self._world.clock.now()
            if self._paused_remaining is not None:
                self._paused_remaining = 0.0
        self._poke()
        return self.snapshot()

    def _check_playing(self) -> None:
        if self._finished:
            raise FailedPrecondition("the demo has ended; restart the server with --demo")

    # -- what the banner shows -----------------------------------------------------------------

    def snapshot(self) -> DemoSnapshot:
        """Where the story is now."""
        clock = self._world.clock
        shown = self._steps[self._index] if self._index >= 0 else None
        upcoming = self._index + 1
        next_title = self._steps[upcoming].title if upcoming < len(self._steps) else ""
        if self._paused_remaining is not None:
            remaining = self._paused_remaining
        elif self._due is not None:
            remaining = max(0.0, self._due - clock.now())
        else:
            remaining = 0.0
        return DemoSnapshot(
            paused=self._paused_remaining is not None,
            finished=self._finished,
            step=self._index + 1,
            step_count=len(self._steps),
            title=shown.title if shown else "The demo is about to start",
            detail=self._detail or (shown.detail if shown else ""),
            next_title=next_title if not self._finished else "",
            seconds_to_next=clock.wall_seconds(remaining) if self._due is not None else 0.0,
            milestones=tuple(self._milestones[name] for name in MilestoneName),
            time_scale=clock.time_scale,
        )

    # -- playing -------------------------------------------------------------------------------

    async def _play(self) -> None:
        for index, step in enumerate(self._steps):
            await self._wait(step.delay)
            self._index, self._detail = index, ""
            self._poke()
            log.info("demo step %d/%d: %s", index + 1, len(self._steps), step.title)
            try:
                result = await step.run(self._world, self._cast, self._reach)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("demo step %r failed; the story goes on", step.title)
                result = "this step failed (see the server log); the story goes on"
            self._detail = f"{step.detail} {result[:1].upper()}{result[1:]}."
            log.info("demo step %d done: %s", index + 1, result)
            self._poke()
        self._finished = True
        self._poke()

    async def _wait(self, delay: float) -> None:
        clock = self._world.clock
        self._due = clock.now() + delay
        try:
            while True:
                if self._paused_remaining is None and clock.now() >= self._due:
                    return
                self._wake.clear()
                timeout = (
                    None
                    if self._paused_remaining is not None
                    else max(0.0, clock.wall_seconds(self._due - clock.now()))
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)
                if self._paused_remaining == 0.0:  # skipped while paused: go, and the pause ends
                    self._paused_remaining = None
                    return
        finally:
            self._due = None

    def _reach(self, name: MilestoneName, detail: str) -> None:
        self._milestones[name] = Milestone(name, True, detail)
        log.info("demo milestone %s: %s", name, detail)
        self._poke()

    def _poke(self) -> None:
        self._wake.set()
        self._changed.set()
