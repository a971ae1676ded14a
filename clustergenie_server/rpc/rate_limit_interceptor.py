"""Limits mutating RPCs per client address, with buckets shared by all servers through the cache."""

from __future__ import annotations

import logging
from typing import Any

import grpc

from clustergenie_server.cache.cache import Cache, CacheUnavailable
from clustergenie_server.rpc.aio_types import (
    Context,
    Continuation,
    Handler,
    ServerInterceptor,
    unary_behaviour,
    unary_handler,
)
from clustergenie_server.settings import LimitSettings

log = logging.getLogger(__name__)

# Reads and streams are cheap and never change state; health and reflection are other packages.
_OUR_SERVICES = "/clustergenie.v1."
_READ_PREFIXES = ("Get", "List", "Watch", "Query")
_READ_NAMES = frozenset({"WhoAmI"})  # reads whose names have no read prefix


def is_mutating(method: str) -> bool:
    """True for our RPCs that change state, e.g. /clustergenie.v1.JobService/CancelJob."""
    if not method.startswith(_OUR_SERVICES):
        return False
    name = method.rpartition("/")[2]
    return not (name.startswith(_READ_PREFIXES) or name in _READ_NAMES)


def peer_host(peer: str) -> str:
    """The client address without its port: a client that reconnects keeps its bucket."""
    kind, _, address = peer.partition(":")
    if kind in ("ipv4", "ipv6"):
        host = address.rpartition(":")[0]
        return host.strip("[]") or address
    return peer  # unix sockets and the like: the whole peer string


class RateLimitInterceptor(ServerInterceptor):
    """Refuses a mutating RPC with RESOURCE_EXHAUSTED once its client's bucket is empty."""

    def __init__(self, cache: Cache, limits: LimitSettings) -> None:
        self._cache, self._limits = cache, limits
        self._mutating: dict[str, bool] = {}  # method -> is_mutating(method), decided once

    async def intercept_service(  # type: ignore[override]  # None: see aio_types.Continuation
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> Handler | None:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        rate, burst = self._limits.mutations_per_second, self._limits.mutation_burst
        if handler is None or rate <= 0 or (inner := unary_behaviour(handler)) is None:
            return handler
        if (mutating := self._mutating.get(method)) is None:
            mutating = self._mutating[method] = is_mutating(method)
        if not mutating:
            return handler  # reads pass untouched: no wrapper, no allocation

        async def limited(request: Any, context: Context) -> Any:
            host = peer_host(context.peer())
            try:
                allowed = await self._cache.allow(f"mutations:{host}", rate, burst)
            except CacheUnavailable:
                allowed = True  # a limiter that cannot count must not take the service down
            if not allowed:
                log.info("%s from %s refused: rate limit", method, host)
                await context.abort(
                    grpc.StatusCode.RESOURCE_EXHAUSTED,
                    f"too many changes from {host}: the limit is {rate:g} per second "
                    f"(bursts of {burst}); wait a moment and try again",
                )
            return await inner(request, context)

        return unary_handler(limited, handler)
