"""Who the GUI is to the server: its credentials, and the identity and role the server reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Role(enum.IntEnum):
    """Ordered like the server's roles: each may do what the ones below it may."""

    VIEWER = 1  # read and watch
    OPERATOR = 2  # act: provisioning, jobs, manual scaling
    ADMIN = 3  # policies, checks, faults

    @property
    def label(self) -> str:
        """viewer, operator or admin."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Identity:
    """The token's name and role, as WhoAmI answers."""

    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the client presents: a bearer token, and the CA to trust for TLS (None: plaintext).

    Neither is ever shown by repr, so a logged object cannot leak them.
    """

    token: str = field(default="", repr=False)
    ca_pem: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited call, as ListAuditEntries answers: who did what, on what, and how it ended."""

    id: int
    at: datetime | None
    caller: str  # the token's name
    role: Role
    method: str  # the short method name, e.g. CreateCluster
    targets: str  # e.g. "cluster_id=3 name=web"
    outcome: str  # OK or a status code name
    peer: str

    @property
    def updated_at(self) -> datetime | None:
        """An entry never changes: when it happened."""
        return self.at
