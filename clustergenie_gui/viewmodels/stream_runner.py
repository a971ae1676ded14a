"""StreamRunner: keeps one watch stream running as an asyncio task, restarting it after errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from clustergenie_gui.client import ClientError

log = logging.getLogger(__name__)


class StreamRunner:
    """Runs `consume()` until stopped; when it ends or fails, waits (with backoff) and reruns it."""

    def __init__(
        self,
        name: str,
        consume: Callable[[], Awaitable[None]],
        on_error: Callable[[ClientError], None] | None = None,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
    ) -> None:
        self._name = name
        self._consume = consume
        self._on_error = on_error
        self._initial_delay = initial_delay
        self._max_delay = max_delay
        self._delay = initial_delay
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """True while the stream task exists and has not finished."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the stream task unless it is running; needs a running asyncio loop."""
        if not self.running:
            self._task = asyncio.ensure_future(self._run())

    def stop(self) -> None:
        """Cancel the stream task, if any."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()

    def healthy(self) -> None:
        """Reset the backoff (call when the stream delivered its snapshot)."""
        self._delay = self._initial_delay

    async def _run(self) -> None:
        while True:
            try:
                await self._consume()
            except ClientError as error:
                log.info("%s stream ended: %s", self._name, error)
                if self._on_error is not None:  # None: a stream whose failure shows nowhere
                    self._on_error(error)
            except Exception:  # a bug must not silently end the live view
                log.exception("%s stream failed", self._name)
            await asyncio.sleep(self._delay)
            self._delay = min(self._delay * 2, self._max_delay)
