"""Which server the GUI talks to, and validation of a host:port address (Qt-free)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$")


@dataclass(frozen=True, slots=True)
class ServerChoice:
    """Bundled (a child server process started by the app) or a remote address host:port."""

    bundled: bool = True
    address: str = ""

    def describe(self) -> str:
        """For people: "bundled server" or the address."""
        return "bundled server" if self.bundled else self.address


def address_problem(text: str) -> str:
    """Why text is not a usable host:port, or "" when it is."""
    text = text.strip()
    if not text:
        return "Enter the server address as host:port, e.g. 127.0.0.1:50051."
    host, sep, port = text.rpartition(":")
    if not sep or not host:
        return f"'{text}' has no port; use host:port, e.g. {text}:50051."
    if not _HOST.match(host):
        return f"'{host}' is not a valid host name or IP address."
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        return f"'{port}' is not a port; use a number from 1 to 65535."
    return ""
