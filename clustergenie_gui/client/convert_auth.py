"""AuthService messages <-> the client's identity types (only the convert_* modules see *_pb2)."""

from __future__ import annotations

from clustergenie_gui.client.auth_types import AuditEntry, Identity, Role
from clustergenie_gui.client.convert import _time
from clustergenie_server.api.v1 import (
    auth_pb2,
    jobs_pb2,
    provisioning_pb2,
    scaling_pb2,
    telemetry_pb2,
)


def who_am_i_request() -> auth_pb2.WhoAmIRequest:
    """The (empty) WhoAmI request."""
    return auth_pb2.WhoAmIRequest()


def identity_from_pb(message: auth_pb2.Identity) -> Identity:
    """The caller's name and role; an unknown role is the least one (fail closed)."""
    return Identity(message.name, _role(message.role))


def _role(value: auth_pb2.Role.ValueType) -> Role:
    if value not in auth_pb2.Role.values():
        return Role.VIEWER  # from a newer server: the least role
    name = auth_pb2.Role.Name(value).removeprefix("ROLE_")
    return Role[name] if name in Role.__members__ else Role.VIEWER


# Which service each audited method belongs to, so people may filter by the short name.
_SERVICE_OF = {
    method.name: service.full_name
    for module in (auth_pb2, jobs_pb2, provisioning_pb2, scaling_pb2, telemetry_pb2)
    for service in module.DESCRIPTOR.services_by_name.values()
    for method in service.methods
}


def audit_request(limit: int, method: str, caller: str) -> auth_pb2.ListAuditEntriesRequest:
    """Newest entries first; method is a short name (CreateCluster) or a full path."""
    if method and not method.startswith("/"):
        service = _SERVICE_OF.get(method)
        method = f"/{service}/{method}" if service else method
    return auth_pb2.ListAuditEntriesRequest(limit=limit, method=method, caller=caller)


def audit_entry_from_pb(message: auth_pb2.AuditEntry) -> AuditEntry:
    """One entry, with the method shortened to its name."""
    return AuditEntry(
        id=message.id,
        at=_time(message, "at"),
        caller=message.caller,
        role=_role(message.role),
        method=message.method.rpartition("/")[2],
        targets=message.targets,
        outcome=message.outcome,
        peer=message.peer,
    )
