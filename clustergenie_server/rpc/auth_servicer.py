"""AuthService over gRPC: who the caller is, and the audit log for admins."""

from __future__ import annotations

from clustergenie_server.api.v1 import auth_pb2 as pb
from clustergenie_server.api.v1 import auth_pb2_grpc
from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.auth import Role
from clustergenie_server.domain.errors import FailedPrecondition
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.rpc.auth_interceptor import current_principal
from clustergenie_server.services.audit.audit_log import AuditLog
from clustergenie_server.services.jobs.job_service import list_limit
from clustergenie_server.wire.convert import timestamp

_ROLE = {r: pb.Role.Value(f"ROLE_{r.name}") for r in Role}


def _entry(e: AuditEntry) -> pb.AuditEntry:
    return pb.AuditEntry(
        id=e.id,
        at=timestamp(e.at),
        caller=e.caller,
        role=_ROLE[e.role],
        method=e.method,
        targets=e.targets,
        outcome=e.outcome,
        peer=e.peer,
    )


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    """Thin: the interceptor has authenticated the caller and checked the role already."""

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    async def WhoAmI(self, request: pb.WhoAmIRequest, context: Context) -> pb.Identity:
        principal = current_principal.get()
        if principal is None:  # only if the interceptor is not wired: a server bug
            raise FailedPrecondition("this server does not authenticate callers")
        return pb.Identity(name=principal.name, role=_ROLE[principal.role])

    async def ListAuditEntries(
        self, request: pb.ListAuditEntriesRequest, context: Context
    ) -> pb.ListAuditEntriesResponse:
        limit = list_limit(request.limit)
        entries = await self._audit.newest(limit, request.method, request.caller)
        return pb.ListAuditEntriesResponse(entries=[_entry(e) for e in entries])
