"""DemoViewModel: the server's demo state for the banner, asked every second, and its controls."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.demo_types import DemoState

POLL_MS = 1000  # the countdown shows whole seconds


class DemoApi(Protocol):
    """What the view-model needs of DemoClient (a fake in tests)."""

    async def get(self) -> DemoState: ...
    async def pause(self, paused: bool) -> DemoState: ...
    async def skip(self) -> DemoState: ...


class DemoViewModel(QObject):
    """Asks for the demo's state once a second while connected; stops asking on a server that
    plays no demo (until the next connection).

    Signals:
        state_changed(object): the new DemoState (running False hides the banner).
        error(str): why the last control failed ("" after one succeeded).
    """

    state_changed = Signal(object)
    error = Signal(str)

    def __init__(self, client: DemoApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.state = DemoState(running=False)
        self._asking = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.refresh)

    def _on_connection_changed(self, state: str, _message: str) -> None:
        if state == "connected":
            self._timer.start()
            self.refresh()
        else:
            self._timer.stop()

    def stop(self) -> None:
        """Stop asking (the app is shutting down): no poll may outlive its event loop."""
        self._timer.stop()

    @asyncSlot()
    async def refresh(self) -> None:
        """Ask once (skipped while an answer is awaited)."""
        if self._asking:
            return
        self._asking = True
        try:
            state = await self._client.get()
        except ClientError:
            return  # the connection view-model says what is wrong; the next tick asks again
        finally:
            self._asking = False
        if not state.running:
            self._timer.stop()
        self._set(state)

    @asyncSlot()
    async def toggle_pause(self) -> None:
        """Pause the countdown, or resume it."""
        try:
            state = await self._client.pause(not self.state.paused)
        except ClientError as error:
            self.error.emit(error.message)
        else:
            self.error.emit("")
            self._set(state)

    @asyncSlot()
    async def skip(self) -> None:
        """Start the next step now."""
        try:
            state = await self._client.skip()
        except ClientError as error:
            self.error.emit(error.message)
        else:
            self.error.emit("")
            self._set(state)

    def _set(self, state: DemoState) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
