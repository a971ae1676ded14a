"""open_channel: a grpc.aio channel that sends the bearer token on every call, over TLS if asked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import grpc
from grpc import aio

if TYPE_CHECKING:
    # grpc-stubs makes the interceptor bases generic; at run time they are plain ABCs.
    _UnaryInterceptor = aio.UnaryUnaryClientInterceptor[Any, Any]
    _StreamInterceptor = aio.UnaryStreamClientInterceptor[Any, Any]
    _BidiInterceptor = aio.StreamStreamClientInterceptor[Any, Any]
else:
    _UnaryInterceptor = aio.UnaryUnaryClientInterceptor
    _StreamInterceptor = aio.UnaryStreamClientInterceptor
    _BidiInterceptor = aio.StreamStreamClientInterceptor


class _BearerToken:
    """Adds `authorization: Bearer <token>` to a call's metadata; never shows the token."""

    def __init__(self, token: str) -> None:
        self._header = ("authorization", f"Bearer {token}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<hidden>)"

    def _with_token(self, details: aio.ClientCallDetails) -> aio.ClientCallDetails:
        metadata = aio.Metadata(*(details.metadata or ()), self._header)
        return aio.ClientCallDetails(
            details.method,
            details.timeout,
            metadata,
            details.credentials,
            details.wait_for_ready,
        )


# Two classes: grpc.aio files an interceptor under the first call kind it implements only.
class _UnaryToken(_BearerToken, _UnaryInterceptor):
    async def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        """Unary calls carry the token."""
        return await continuation(self._with_token(details), request)


class _StreamToken(_BearerToken, _StreamInterceptor):
    async def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        """Server streams carry the token."""
        return await continuation(self._with_token(details), request)


class _BidiToken(_BearerToken, _BidiInterceptor):
    async def intercept_stream_stream(
        self, continuation: Any, details: Any, request_iterator: Any
    ) -> Any:
        """Bidirectional streams (IngestLogs) carry the token."""
        return await continuation(self._with_token(details), request_iterator)


def open_channel(
    address: str,
    token: str = "",
    ca_pem: bytes | None = None,
    options: Sequence[tuple[str, Any]] = (),
) -> aio.Channel:
    """A channel to address; TLS trusting ca_pem when given; call inside the running loop.

    The interceptors are the one place the token is attached, so no call can go without it.
    """
    tokens: list[_BearerToken] = (
        [_UnaryToken(token), _StreamToken(token), _BidiToken(token)] if token else []
    )
    # grpc-stubs leaves aio.ClientInterceptor an opaque placeholder that must be cast to.
    interceptors = cast(list[aio.ClientInterceptor], tokens)
    if ca_pem is not None:
        credentials = grpc.ssl_channel_credentials(root_certificates=ca_pem)
        return aio.secure_channel(address, credentials, list(options), interceptors=interceptors)
    return aio.insecure_channel(address, list(options), interceptors=interceptors)
