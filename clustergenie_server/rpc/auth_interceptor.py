"""Bearer-token authentication, the role table, per-token stream limits and the audit trail."""

from __future__ import annotations

import contextvars
import logging
import re
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import grpc
from google.protobuf.descriptor import EnumDescriptor
from google.protobuf.message import Message
from grpc import aio

from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.auth import Principal, Role
from clustergenie_server.rpc.aio_types import (
    Context,
    Continuation,
    Handler,
    ServerInterceptor,
    StreamBehaviour,
    UnaryBehaviour,
    stream_behaviour,
    stream_handler,
    unary_behaviour,
    unary_handler,
)
from clustergenie_server.rpc.method_roles import METHOD_ROLES, OPEN_PREFIXES
from clustergenie_server.rpc.rate_limit_interceptor import is_mutating
from clustergenie_server.security.tokens import TokenStore
from clustergenie_server.services.audit.audit_log import AuditLog

log = logging.getLogger(__name__)

# Set by the interceptor for the call's task; servicers (WhoAmI) read it. grpc.aio runs the
# interceptors and the handler of one RPC in the same task, so the value is the caller's own.
current_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "clustergenie_principal", default=None
)

_BEARER = "bearer "
_BEARER_AS_SENT = "Bearer "  # what every client of ours sends: the fast path
# The methods whose servicer reads current_principal; no other call pays for setting it.
_READS_PRINCIPAL = frozenset(
    {
        "/clustergenie.v1.AuthService/WhoAmI",
        # A check's secret header values are shown to admins only (they define checks).
        "/clustergenie.v1.HealthCheckService/GetCheck",
        "/clustergenie.v1.HealthCheckService/ListChecks",
        "/clustergenie.v1.HealthCheckService/PauseCheck",
    }
)
_TARGET_FIELDS = frozenset({"id", "name", "size", "count", "droplet_count", "target_count", "kind"})


def _abort_handler(code: grpc.StatusCode, message: str) -> Handler:
    """A handler that refuses the call. Unary-unary serves any RPC kind: the status is sent
    before a message is read or written, which a streaming client receives just the same."""

    async def refuse(_request: Any, context: Context) -> None:
        await context.abort(code, message)

    return unary_handler(refuse)


def _short(method: str) -> str:
    return method.rpartition("/")[2]


def targets_of(request: Message, prefix: str = "") -> str:
    """The ids and names a request acts on, e.g. "cluster_id=3 name=web" (for the audit);
    one nested message deep, e.g. "policy.cluster_id=3" for SetPolicy."""
    parts = []
    for descriptor, value in request.ListFields():
        name = descriptor.name
        if isinstance(value, Message):
            if not prefix and (nested := targets_of(value, f"{name}.")):
                parts.append(nested)
        elif (name in _TARGET_FIELDS or name.endswith("_id")) and isinstance(value, int | str):
            if descriptor.enum_type is not None:
                value = _enum_label(descriptor.enum_type, int(value))
            parts.append(f"{prefix}{name}={value}")
    return " ".join(parts)


def _enum_label(enum_type: EnumDescriptor, number: int) -> str:
    """ "traffic_spike" for FaultKind 8 (FAULT_KIND_TRAFFIC_SPIKE); the number if unknown."""
    known = enum_type.values_by_number.get(number)
    if known is None:
        return str(number)
    prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", enum_type.name).upper() + "_"
    return known.name.removeprefix(prefix).lower()


class AuthInterceptor(ServerInterceptor):
    """Refuses calls without a known token (UNAUTHENTICATED) or outside the caller's role
    (PERMISSION_DENIED), limits open streams per token, and audits mutating calls."""

    def __init__(self, tokens: TokenStore, audit: AuditLog, max_streams: int) -> None:
        self._tokens, self._audit, self._max_streams = tokens, audit, max_streams
        # Precomputed once: an allowed unary read costs a metadata scan, the token comparisons
        # and two lookups, and allocates nothing of ours; only streams and mutating calls get
        # a wrapper (they need one to count and to audit).
        self._missing = _abort_handler(
            grpc.StatusCode.UNAUTHENTICATED,
            "this server needs a token: send 'authorization: Bearer <token>' metadata "
            "(clustergenie --token-file FILE or CLUSTERGENIE_TOKEN)",
        )
        self._invalid = _abort_handler(
            grpc.StatusCode.UNAUTHENTICATED,
            "the token is not valid for this server; check --token-file or CLUSTERGENIE_TOKEN",
        )
        self._audited = frozenset(m for m in METHOD_ROLES if is_mutating(m))
        # Plain ints: looking up Role members and comparing enums per call costs more.
        self._needed = {method: int(role) for method, role in METHOD_ROLES.items()}
        # Not in the table: admin only, until someone decides (a test keeps the table whole).
        self._unlisted = int(Role.ADMIN)
        self._open_streams: dict[str, int] = {}

    async def intercept_service(  # type: ignore[override]  # None: see aio_types.Continuation
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> Handler | None:
        method = handler_call_details.method
        if method.startswith(OPEN_PREFIXES):
            return await continuation(handler_call_details)
        token = self._bearer(handler_call_details.invocation_metadata)
        if token is None:
            return self._missing
        principal = self._tokens.lookup(token)
        if principal is None:
            log.info("%s refused: unknown token", method)
            return self._invalid
        needed = self._needed.get(method, self._unlisted)
        if principal.role < needed:
            return self._denied(method, principal, Role(needed))
        if method in _READS_PRINCIPAL:
            current_principal.set(principal)
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        stream = stream_behaviour(handler)
        if stream is not None and self._max_streams > 0:
            return self._limit_stream(handler, stream, principal)
        unary = unary_behaviour(handler)
        if unary is not None and method in self._audited:
            return self._audit_unary(handler, unary, principal, method)
        return handler

    @staticmethod
    def _bearer(metadata: Sequence[tuple[str, str | bytes]] | None) -> str | None:
        for key, value in metadata or ():
            if key == "authorization" and isinstance(value, str):
                if value.startswith(_BEARER_AS_SENT):
                    return value[len(_BEARER_AS_SENT) :]
                if value[: len(_BEARER)].lower() == _BEARER:  # the scheme is case-insensitive
                    return value[len(_BEARER) :].strip()
                return None
        return None

    @staticmethod
    def _denied(method: str, principal: Principal, needed: Role) -> Handler:
        log.info("%s refused: %s has role %s", method, principal.name, principal.role.label)
        return _abort_handler(
            grpc.StatusCode.PERMISSION_DENIED,
            f"{_short(method)} needs the {needed.label} role; the token {principal.name} has "
            f"the {principal.role.label} role",
        )

    def _limit_stream(
        self, handler: Handler, inner: StreamBehaviour, principal: Principal
    ) -> Handler:
        counts, limit = self._open_streams, self._max_streams

        async def limited(request: Any, context: Context) -> AsyncIterator[Any]:
            name = principal.name
            if counts.get(name, 0) >= limit:
                await context.abort(
                    grpc.StatusCode.RESOURCE_EXHAUSTED,
                    f"the token {name} already has {limit} open streams, the limit "
                    "(limits.max_streams_per_client); close one and try again",
                )
            counts[name] = counts.get(name, 0) + 1
            try:
                async for item in inner(request, context):
                    yield item
            finally:
                if (left := counts[name] - 1) > 0:
                    counts[name] = left
                else:
                    del counts[name]

        return stream_handler(limited, handler)

    def _audit_unary(
        self, handler: Handler, inner: UnaryBehaviour, principal: Principal, method: str
    ) -> Handler:
        audit = self._audit

        async def audited(request: Any, context: Context) -> Any:
            outcome = "UNKNOWN"
            entry = AuditEntry(
                at=datetime.now(UTC),
                caller=principal.name,
                role=principal.role,
                method=method,
                targets=targets_of(request),
                outcome=outcome,
                peer=context.peer(),
            )
            with audit.call(entry) as call:
                try:
                    response = await inner(request, context)
                    outcome = "OK"
                    return response
                except aio.AbortError:
                    code = context.code()
                    outcome = code.name if isinstance(code, grpc.StatusCode) else str(code)
                    raise
                finally:
                    audit.finish(call, outcome)

        return unary_handler(audited, handler)
