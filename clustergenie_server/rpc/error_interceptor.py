"""Maps domain errors to gRPC status codes with the domain's message, for every RPC."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from grpc import aio

from clustergenie_server.bus.event_bus import SubscriberOverflow
from clustergenie_server.domain import errors

log = logging.getLogger(__name__)

_CODES: dict[type[errors.DomainError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}


async def _abort_for(exc: BaseException, context: aio.ServicerContext, method: str) -> None:
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


class ErrorInterceptor(aio.ServerInterceptor):
    """Wraps each handler so that servicers can raise domain errors and stay thin.

    The wrapper of a method is built once and reused while the handler below it stays the
    same object (it does for every call a later interceptor passes through untouched), so an
    RPC costs a dictionary lookup here, not a new closure and a new handler.
    """

    def __init__(self) -> None:
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
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


def _wrap(handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
    """The handler with domain errors mapped to status codes (unary, server and bidi streams)."""
    if handler.unary_unary is not None:
        inner = handler.unary_unary

        async def unary(request: Any, context: aio.ServicerContext) -> Any:
            try:
                return await inner(request, context)
            except aio.AbortError:
                raise  # the servicer chose its status already
            except Exception as exc:
                await _abort_for(exc, context, method)

        return grpc.unary_unary_rpc_method_handler(
            unary, handler.request_deserializer, handler.response_serializer
        )
    # Server streams and bidirectional streams (IngestLogs) both yield responses.
    for inner_stream, make in (
        (handler.unary_stream, grpc.unary_stream_rpc_method_handler),
        (handler.stream_stream, grpc.stream_stream_rpc_method_handler),
    ):
        if inner_stream is not None:
            return make(
                _mapped_stream(inner_stream, method),
                handler.request_deserializer,
                handler.response_serializer,
            )
    return handler


def _mapped_stream(inner: Any, method: str) -> Any:
    """A streaming handler whose domain errors become status codes."""

    async def stream(request: Any, context: aio.ServicerContext) -> AsyncIterator[Any]:
        try:
            async for item in inner(request, context):
                yield item
        except aio.AbortError:
            raise  # the servicer chose its status already
        except Exception as exc:
            await _abort_for(exc, context, method)

    return stream
