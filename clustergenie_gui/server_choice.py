"""Which server the GUI talks to, how it proves who it is, and validation of both (Qt-free)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from clustergenie_gui.client.auth_types import Credentials

TOKEN_ENV = "CLUSTERGENIE_TOKEN"

_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$")


@dataclass(frozen=True, slots=True)
class ServerChoice:
    """Bundled (a child server process started by the app) or a remote address host:port.

    A remote server takes a token from token_file (else CLUSTERGENIE_TOKEN) and, for TLS, the
    CA certificate to trust from tls_ca; never the token itself, which stays off command lines.
    """

    bundled: bool = True
    address: str = ""
    token_file: str = ""
    tls_ca: str = ""

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


class CredentialsError(ValueError):
    """A token file or CA file cannot be used; the message names the file."""


def file_problem(path: str, what: str) -> str:
    """Why path cannot be read as `what`, or "" when it can (an empty path is fine)."""
    if path and not os.access(path, os.R_OK):
        return f"The {what} {path} cannot be read."
    return ""


def load_credentials(choice: ServerChoice, environ: Mapping[str, str] | None = None) -> Credentials:
    """The token and CA for a remote choice: token file first, then CLUSTERGENIE_TOKEN."""
    env = os.environ if environ is None else environ
    try:
        token = Path(choice.token_file).read_text().strip() if choice.token_file else ""
        ca_pem = Path(choice.tls_ca).read_bytes() if choice.tls_ca else None
    except OSError as error:
        raise CredentialsError(f"Cannot read {error.filename}: {error.strerror}.") from error
    if choice.token_file and not token:
        raise CredentialsError(f"The token file {choice.token_file} is empty.")
    return Credentials(token or env.get(TOKEN_ENV, "").strip(), ca_pem)
