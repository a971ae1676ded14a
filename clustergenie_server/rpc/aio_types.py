"""Types for a grpc.aio server where grpc-stubs describes the sync one: contexts, handlers.

grpc-stubs types a method handler's behaviours as sync callables taking a grpc.ServicerContext;
under grpc.aio they are coroutine functions and async generators taking an aio.ServicerContext,
and an interceptor may pass on "no handler" (None) for a method nobody serves. The few casts that
bridge the two live here, so servicers and interceptors are checked against what really runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import grpc
from grpc import aio

Context: TypeAlias = aio.ServicerContext[Any, Any]
"""The context of one call, as servicers and interceptors receive it."""

UnaryBehaviour: TypeAlias = Callable[[Any, Context], Awaitable[Any]]
StreamBehaviour: TypeAlias = Callable[[Any, Context], AsyncIterator[Any]]

if TYPE_CHECKING:
    Handler: TypeAlias = grpc.RpcMethodHandler[Any, Any]
    ServerInterceptor: TypeAlias = aio.ServerInterceptor[Any, Any]
else:  # at run time plain classes, not subscriptable
    Handler = grpc.RpcMethodHandler
    ServerInterceptor = aio.ServerInterceptor

# The next interceptor's handler: None for a method nobody serves, which grpc.aio passes on
# (grpc-stubs types it as never None, so each intercept_service overrides with an ignore).
Continuation: TypeAlias = Callable[[grpc.HandlerCallDetails], Awaitable[Handler | None]]


def unary_behaviour(handler: Handler) -> UnaryBehaviour | None:
    """The handler's unary-unary coroutine function, if it is a unary-unary handler."""
    return cast("UnaryBehaviour | None", handler.unary_unary)


def stream_behaviour(handler: Handler) -> StreamBehaviour | None:
    """The handler's unary-stream async generator function, if it is a unary-stream handler."""
    return cast("StreamBehaviour | None", handler.unary_stream)


def unary_handler(behaviour: UnaryBehaviour, like: Handler | None = None) -> Handler:
    """A unary-unary handler of behaviour, with the (de)serializers of `like` when given."""
    if like is None:
        return grpc.unary_unary_rpc_method_handler(behaviour)
    return grpc.unary_unary_rpc_method_handler(
        behaviour, like.request_deserializer, like.response_serializer
    )


def stream_handler(behaviour: StreamBehaviour, like: Handler) -> Handler:
    """A unary-stream handler of behaviour, with the (de)serializers of `like`."""
    return grpc.unary_stream_rpc_method_handler(
        behaviour, like.request_deserializer, like.response_serializer
    )
