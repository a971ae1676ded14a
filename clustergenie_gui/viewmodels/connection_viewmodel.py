"""ConnectionViewModel: owns the client's connection, its state, and reconnecting with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.auth_types import Credentials, Identity
from clustergenie_gui.client.protocols import ConnectionApi

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
        identity_changed(object): the Identity (token name and role) the server reported after
            connecting, or None while not known; the GUI enables what the role may do.
    """

    connection_changed = Signal(str, str)
    address_changed = Signal(str)
    identity_changed = Signal(object)

    def __init__(
        self,
        client: ConnectionApi,
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
        self._identity: Identity | None = None
        self._task: asyncio.Task[None] | None = None
        self._credentials = Credentials()
        self._reload: Callable[[], Credentials | None] | None = None
        self._token_source = "the token you configured"

    @property
    def client(self) -> ConnectionApi:
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

    @property
    def identity(self) -> Identity | None:
        """Who the server says we are, once connected."""
        return self._identity

    def set_credentials_source(
        self, reload: Callable[[], Credentials | None] | None, description: str
    ) -> None:
        """How to read the token again when the server refuses it (e.g. re-read the token
        file after a server restart made a new one), and how to name its source to people."""
        self._reload = reload
        self._token_source = description

    def connect_to(self, address: str, credentials: Credentials | None = None) -> None:
        """Connect to address with credentials (replacing any previous connection) and keep
        reconnecting."""
        self._cancel()
        self._credentials = credentials or Credentials()
        self._client.set_credentials(self._credentials)
        self._set_identity(None)
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
        """Connect and watch the channel; after a loss retry with exponential backoff; after a
        refused token, re-read it (now, then every few seconds) and reconnect when it changed."""
        try:
            while True:
                await self._client.connect(address)
                await self._watch(address)  # returns only when the token was refused
                await self._wait_for_new_token()
        except asyncio.CancelledError:
            raise
        except Exception:  # keep the GUI alive and say what happened (the detail is logged)
            log.exception("connection to %s failed", address)
            self._set_state(
                ConnectionState.DISCONNECTED,
                f"The connection to {address} failed unexpectedly; see the log, then "
                "reconnect from File → Settings….",
            )

    async def _wait_for_new_token(self) -> None:
        """Return once the token source holds a token other than the refused one."""
        delay = 0.0
        while True:
            await asyncio.sleep(delay)
            fresh = self._reload() if self._reload is not None else None
            if fresh is not None and fresh != self._credentials:
                log.info("the token changed; reconnecting with the new one")
                self._credentials = fresh
                self._client.set_credentials(fresh)
                return
            delay = self._max_backoff

    async def _watch(self, address: str) -> bool:
        """Follow one channel, reconnecting after losses; returns False once the server
        refuses the token."""
        delay = self._initial_backoff
        while True:
            if await self._client.wait_ready(self._ready_timeout):
                if not await self._learn_identity(address):
                    return False
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

    async def _learn_identity(self, address: str) -> bool:
        """Ask WhoAmI; False (and say why) when the server refuses our token."""
        try:
            self._set_identity(await self._client.who_am_i())
        except ClientError as error:
            if error.code not in ("UNAUTHENTICATED", "PERMISSION_DENIED"):
                return True  # a lost channel is noticed and retried by the watch loop
            self._set_identity(None)
            retry = (
                f" ClusterGenie re-reads {self._token_source} every few seconds."
                if self._reload is not None
                else ""
            )
            self._set_state(
                ConnectionState.DISCONNECTED,
                f"The server at {address} refused this client: {error.message} Put the "
                f"server's current token in {self._token_source}, or choose another server "
                f"in File → Settings….{retry}",
            )
            return False
        return True

    def _set_identity(self, identity: Identity | None) -> None:
        if identity != self._identity:
            self._identity = identity
            self.identity_changed.emit(identity)

    def _set_address(self, address: str) -> None:
        if address != self._address:
            self._address = address
            self.address_changed.emit(address)

    def _set_state(self, state: ConnectionState, message: str) -> None:
        if (state, message) != (self._state, self._message):
            if state is not self._state:
                log.info("connection: %s (%s)", state.value, message)
            self._state, self._message = state, message
            self.connection_changed.emit(state.value, message)
