"""Maps domain errors to gRPC status codes with the domain's message, for every RPC."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import grpc
from grpc import aio

from clustergenie_server.bus.event_bus import SubscriberOverflow
from clustergenie_server.domain import errors
from clustergenie_server.rpc.aio_types import (
    Context,
    Continuation,
    Handler,
    ServerInterceptor,
    stream_behaviour,
    stream_handler,
    unary_behaviour,
    unary_handler,
)

log = logging.getLogger(__name__)

_CODES: dict[type[errors.DomainError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}


async def _abort_for(exc: BaseException, context: Context, method: str) -> None:
    if isinstance(exc, errors.DomainError):
        code = next((c for t, c in _CODES.items() if isinstance(exc, t)), grpc.StatusCode.UNKNOWN)
        log.info("%s -> %s: %s", method, code.name, exc)
        await context.abort(code, str(exc))
    if isinstance(exc, SubscriberOverflow):
        await context.abort(
            grpc.StatusCode.RESOURCE_EXHAUSTED, "this stream fell too far behind; subscribe again"
        )
    log.exception("%s failed", method, exc_info=exc)
    await context.abort(
        grpc.StatusCode.INTERNAL, f"internal error in {method}; the server log has the details"
    )


class ErrorInterceptor(ServerInterceptor):
    """Wraps each handler so that servicers can raise domain errors and stay thin.

    The wrapper of a method is built once and reused while the handler below it stays the
    same object (it does for every call a later interceptor passes through untouched), so an
    RPC costs a dictionary lookup here, not a new closure and a new handler.
    """

    def __init__(self) -> None:
        self._wrapped: dict[str, tuple[Handler, Handler]] = {}

    async def intercept_service(  # type: ignore[override]  # None: see aio_types.Continuation
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> Handler | None:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        # Only our own services: health and reflection have their own conventions (and their
        # streaming handlers write to the context instead of yielding).
        if handler is None or not method.startswith("/clustergenie.v1."):
            return handler
        cached = self._wrapped.get(method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        wrapped = _wrap(handler, method)
        # One entry per method: a handler that changes per call replaces it, never adds one.
        self._wrapped[method] = (handler, wrapped)
        return wrapped


def _wrap(handler: Handler, method: str) -> Handler:
    """The handler with domain errors mapped to status codes (unary, server and bidi streams)."""
    inner = unary_behaviour(handler)
    if inner is not None:

        async def unary(request: Any, context: Context) -> Any:
            try:
                return await inner(request, context)
            except aio.AbortError:
                raise  # the servicer chose its status already
            except Exception as exc:
                await _abort_for(exc, context, method)

        return unary_handler(unary, handler)
    inner_stream = stream_behaviour(handler)
    if inner_stream is not None:

        async def stream(request: Any, context: Context) -> AsyncIterator[Any]:
            try:
                async for item in inner_stream(request, context):
                    yield item
            except aio.AbortError:
                raise  # the servicer chose its status already
            except Exception as exc:
                await _abort_for(exc, context, method)

        return stream_handler(stream, handler)
    return _wrap_bidi(handler, method)


def _wrap_bidi(handler: Handler, method: str) -> Handler:
    """Bidirectional streams (IngestLogs) yield responses to a stream of requests."""
    inner_bidi: Any = handler.stream_stream  # grpc-stubs types it as a sync behaviour
    if inner_bidi is None:
        return handler

    async def bidi(requests: Any, context: Context) -> AsyncIterator[Any]:
        try:
            async for item in inner_bidi(requests, context):
                yield item
        except aio.AbortError:
            raise  # the servicer chose its status already
        except Exception as exc:
            await _abort_for(exc, context, method)

    return grpc.stream_stream_rpc_method_handler(
        bidi, handler.request_deserializer, handler.response_serializer
    )
