"""MetricsInterceptor: counts every RPC by method and status, times unary ones, gauges streams."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import grpc
from grpc import aio

from clustergenie_server.rpc.aio_types import Continuation, Handler
from clustergenie_server.services.ops.server_metrics import ServerMetrics


def _code_of(context: aio.ServicerContext[Any, Any]) -> str:
    code = context.code()
    return code.name if isinstance(code, grpc.StatusCode) else "OK"


class MetricsInterceptor(aio.ServerInterceptor):  # type: ignore[type-arg]
    """First in the chain, so refused calls (UNAUTHENTICATED, PERMISSION_DENIED) count too.

    Installed only when --metrics-listen is set: a server without metrics pays nothing.
    """

    def __init__(self, metrics: ServerMetrics) -> None:
        self._metrics = metrics
        # Wrappers by method, reused while the handler below stays the same object (as the
        # error interceptor does): a unary read costs a lookup, not a new closure.
        self._wrapped: dict[str, tuple[Handler, Handler]] = {}

    async def intercept_service(  # type: ignore[override]  # None: see aio_types.Continuation
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> Handler | None:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None:
            return handler
        cached = self._wrapped.get(method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        wrapped = self._wrap(handler, method)
        self._wrapped[method] = (handler, wrapped)
        return wrapped

    def _wrap(self, handler: Handler, method: str) -> Handler:
        service, _, name = method.lstrip("/").rpartition("/")
        m = self._metrics
        if handler.unary_unary is not None:
            inner: Any = handler.unary_unary  # grpc-stubs types it as a sync behaviour
            seconds = m.rpc_seconds.labels(service, name)

            async def unary(request: Any, context: aio.ServicerContext[Any, Any]) -> Any:
                began, code = time.perf_counter(), "UNKNOWN"
                try:
                    response = await inner(request, context)
                    code = _code_of(context)
                    return response
                except aio.AbortError:
                    code = _code_of(context)
                    raise
                finally:
                    seconds.observe(time.perf_counter() - began)
                    m.rpcs.labels(service, name, code).inc()

            return grpc.unary_unary_rpc_method_handler(
                unary, handler.request_deserializer, handler.response_serializer
            )
        # Health's Watch writes to the context instead of yielding: only our streams are wrapped.
        if handler.unary_stream is not None and method.startswith("/clustergenie.v1."):
            inner_stream: Any = handler.unary_stream
            open_streams = m.open_streams.labels(service, name)

            async def stream(
                request: Any, context: aio.ServicerContext[Any, Any]
            ) -> AsyncIterator[Any]:
                code = "CANCELLED"  # a stream usually ends by its client going away
                open_streams.inc()
                try:
                    async for item in inner_stream(request, context):
                        yield item
                    code = _code_of(context)
                except aio.AbortError:
                    code = _code_of(context)
                    raise
                finally:
                    open_streams.dec()
                    m.rpcs.labels(service, name, code).inc()

            return grpc.unary_stream_rpc_method_handler(
                stream, handler.request_deserializer, handler.response_serializer
            )
        return handler
