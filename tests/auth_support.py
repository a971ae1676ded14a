"""Tokens the tests' servers accept, and channels that present them."""

from __future__ import annotations

from pathlib import Path

from grpc import aio

from clustergenie_gui.client.channel import open_channel
from clustergenie_server.settings import AuthSettings

# The one admin token of every test server; children get it as CLUSTERGENIE_TOKEN.
TEST_TOKEN = "test-admin-token-0123456789abcdef"
TEST_AUTH = AuthSettings(token=TEST_TOKEN)
ROLE_TOKENS = {
    "viewer": "viewer-token-0123456789abcdef",
    "operator": "operator-token-0123456789abcdef",
    "admin": "admin-token-0123456789abcdefgh",
}


def authed_channel(address: str, token: str = TEST_TOKEN) -> aio.Channel:
    """An insecure channel to a test server that sends token on every call."""
    return open_channel(address, token)


def write_tokens_file(path: Path) -> Path:
    """A tokens file with one token per role (named after the role); returns its path."""
    path.write_text("".join(f"{role} {role} {token}\n" for role, token in ROLE_TOKENS.items()))
    path.chmod(0o600)  # as a real one should be (the server warns otherwise)
    return path
