"""RpcClientBase: the channel, deadlines and error mapping every per-feature client module uses.

A feature's calls live in their own mixin (telemetry_client.TelemetryScalingCalls is one) that
subclasses RpcClientBase, makes its stub from `_require_channel()` and goes through `_call`
(unary, with the deadline) and `_stream` (server streams); ClusterGenieClient combines them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TypeVar

import grpc
from grpc import aio

from clustergenie_gui.client.status_text import user_message

Req = TypeVar("Req")
Resp = TypeVar("Resp")
R = TypeVar("R")


log = logging.getLogger(__name__)


class ClientError(Exception):
    """An RPC failed; `message` is the server's text for people, `code` the gRPC status name."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @classmethod
    def from_rpc(cls, error: aio.AioRpcError) -> ClientError:
        """Build from a grpc.aio error: the message is a sentence for people (status_text);
        the raw details go to the log."""
        code: grpc.StatusCode = error.code()
        details = error.details() or ""
        message = user_message(code.name, details)
        if message != details:
            log.info("%s: %s", code.name, details)
        return cls(code.name, message)

    @property
    def is_connection_error(self) -> bool:
        """True when the server could not be reached (rather than refusing the request)."""
        return self.code in ("UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED")


class RpcClientBase:
    """One grpc.aio channel (None until connected), a deadline for unary calls, ClientErrors."""

    def __init__(self, unary_timeout: float = 10.0) -> None:
        self._timeout = unary_timeout
        self._channel: aio.Channel | None = None

    def _require_channel(self) -> aio.Channel:
        if self._channel is None:
            raise ClientError("UNAVAILABLE", "Not connected to a ClusterGenie server yet.")
        return self._channel

    async def _call(self, method: aio.UnaryUnaryMultiCallable[Req, Resp], request: Req) -> Resp:
        """One unary call with the deadline; an RPC error becomes ClientError."""
        try:
            return await method(request, timeout=self._timeout)
        except aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error

    async def _stream(
        self, call: aio.UnaryStreamCall[Req, Resp], to_events: Callable[[Resp], Iterable[R]]
    ) -> AsyncIterator[R]:
        """Yield the events of each message (a message may carry several, or none); RPC errors
        become ClientError; closing cancels the call."""
        try:
            async for message in call:
                for event in to_events(message):
                    yield event
        except aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error
        finally:
            call.cancel()
