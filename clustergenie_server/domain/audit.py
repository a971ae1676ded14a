"""An audit entry: who called which mutating RPC, on what, when, and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clustergenie_server.domain.auth import Role


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited call; caller is a token's name, never a token."""

    at: datetime
    caller: str
    role: Role
    method: str
    targets: str
    outcome: str
    peer: str
    id: int = 0  # 0 until stored
