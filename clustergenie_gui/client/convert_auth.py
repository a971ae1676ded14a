"""AuthService messages <-> the client's identity types (only the convert_* modules see *_pb2)."""

from __future__ import annotations

from clustergenie_gui.client.auth_types import Identity, Role
from clustergenie_server.api.v1 import auth_pb2


def who_am_i_request() -> auth_pb2.WhoAmIRequest:
    """The (empty) WhoAmI request."""
    return auth_pb2.WhoAmIRequest()


def identity_from_pb(message: auth_pb2.Identity) -> Identity:
    """The caller's name and role; an unknown role is the least one (fail closed)."""
    name = auth_pb2.Role.Name(message.role).removeprefix("ROLE_")
    return Identity(message.name, Role[name] if name in Role.__members__ else Role.VIEWER)
