"""What a server says about itself (GetServerInfo), as a plain value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """A server's versions and the kind of each backend it runs on."""

    version: str
    grpcio_version: str
    protobuf_version: str
    python_version: str
    database: str  # sqlite or mysql
    bus: str  # in-process or kafka
    cache: str  # in-process or redis
    tls: bool
    started_at: datetime | None
    time_scale: float
