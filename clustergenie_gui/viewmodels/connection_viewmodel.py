"""ConnectionViewModel: owns the client's connection, its state, and reconnecting with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging

from PySide6.QtCore import QObject, Signal

from clustergenie_gui.client import ClusterGenieClient

log = logging.getLogger(__name__)


class ConnectionState(enum.StrEnum):
    """Where the connection to the server is."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


class ConnectionViewModel(QObject):
    """Connects the client to one address and keeps it connected.

    Signals:
        connection_changed(str state, str message): a ConnectionState value and a sentence for
            the status bar, emitted whenever either changes.
        address_changed(str): the server address now in use ("" while none is known).
    """

    connection_changed = Signal(str, str)
    address_changed = Signal(str)

    def __init__(
        self,
        client: ClusterGenieClient,
        ready_timeout: float = 3.0,
        initial_backoff: float = 0.5,
        max_backoff: float = 5.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._ready_timeout = ready_timeout
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._state = ConnectionState.DISCONNECTED
        self._message = "Not connected"
        self._address = ""
        self._task: asyncio.Task[None] | None = None

    @property
    def client(self) -> ClusterGenieClient:
        """The client this view-model connects."""
        return self._client

    @property
    def state(self) -> ConnectionState:
        """The current state."""
        return self._state

    @property
    def message(self) -> str:
        """A sentence describing the state."""
        return self._message

    @property
    def address(self) -> str:
        """host:port in use, or ""."""
        return self._address

    def connect_to(self, address: str) -> None:
        """Connect to address (replacing any previous connection) and keep reconnecting."""
        self._cancel()
        self._set_address(address)
        self._set_state(ConnectionState.CONNECTING, f"Connecting to {address}…")
        self._task = asyncio.ensure_future(self._supervise(address))

    def set_unavailable(self, message: str) -> None:
        """No server to connect to (e.g. the bundled server failed); say why."""
        self._cancel()
        self._set_state(ConnectionState.DISCONNECTED, message)

    def set_starting(self, message: str) -> None:
        """A server is being started; show that we are waiting for it."""
        self._cancel()
        self._set_address("")
        self._set_state(ConnectionState.CONNECTING, message)

    async def shutdown(self) -> None:
        """Stop reconnecting and close the channel."""
        task = self._cancel()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._client.close()

    def _cancel(self) -> asyncio.Task[None] | None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
        return task

    async def _supervise(self, address: str) -> None:
        """Connect, then watch the channel; after a loss retry with exponential backoff."""
        try:
            await self._client.connect(address)
            delay = self._initial_backoff
            while True:
                if await self._client.wait_ready(self._ready_timeout):
                    delay = self._initial_backoff
                    self._set_state(ConnectionState.CONNECTED, f"Connected to {address}")
                    await self._client.wait_until_not_ready()
                    self._set_state(
                        ConnectionState.DISCONNECTED,
                        f"Lost the connection to {address}; reconnecting…",
                    )
                    continue
                self._set_state(
                    ConnectionState.DISCONNECTED,
                    f"Cannot reach the server at {address}; retrying…",
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_backoff)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # keep the GUI alive and say what happened
            log.exception("connection to %s failed", address)
            self._set_state(ConnectionState.DISCONNECTED, f"Connection error: {error}")

    def _set_address(self, address: str) -> None:
        if address != self._address:
            self._address = address
            self.address_changed.emit(address)

    def _set_state(self, state: ConnectionState, message: str) -> None:
        if (state, message) != (self._state, self._message):
            self._state, self._message = state, message
            self.connection_changed.emit(state.value, message)
