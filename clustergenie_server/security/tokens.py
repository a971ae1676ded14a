"""Token entries, the tokens file format and the constant-time token lookup."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from clustergenie_server.domain.auth import Principal, Role

MIN_TOKEN_LENGTH = 16
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
TOKENS_FILE_FORMAT = (
    "one token a line: NAME ROLE TOKEN (role viewer, operator or admin; "
    f"token at least {MIN_TOKEN_LENGTH} characters); '#' starts a comment"
)


class TokenFileError(ValueError):
    """The tokens file cannot be used; the message names the file and line (never a token)."""


@dataclass(frozen=True, slots=True)
class TokenEntry:
    """One accepted token and whom it names; repr never shows the token."""

    name: str
    role: Role
    token: str = field(repr=False)

    @property
    def principal(self) -> Principal:
        """The name and role, without the secret."""
        return Principal(self.name, self.role)


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def _parse_line(text: str, where: str) -> TokenEntry:
    parts = text.split()
    if len(parts) != 3:
        raise TokenFileError(f"{where}: expected NAME ROLE TOKEN, found {len(parts)} fields")
    name, role_text, token = parts
    if not _NAME.match(name):
        raise TokenFileError(
            f"{where}: name {name!r} may use letters, digits and _.@- (at most 64)"
        )
    try:
        role = Role.parse(role_text)
    except ValueError as exc:
        raise TokenFileError(f"{where}: {exc}") from None
    if not (token.isascii() and token.isprintable()):
        raise TokenFileError(f"{where}: the token of {name} must be printable ASCII")
    if len(token) < MIN_TOKEN_LENGTH:
        raise TokenFileError(
            f"{where}: the token of {name} is shorter than {MIN_TOKEN_LENGTH} characters"
        )
    return TokenEntry(name, role, token)


def parse_tokens(text: str, source: str) -> tuple[TokenEntry, ...]:
    """Parse a tokens file's text; errors say `source:line` and what to fix."""
    entries: list[TokenEntry] = []
    names: set[str] = set()
    tokens: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{source}:{number}"
        entry = _parse_line(line, where)
        if entry.name in names:
            raise TokenFileError(f"{where}: the name {entry.name} is used twice")
        if entry.token in tokens:
            raise TokenFileError(f"{where}: this token is given twice; each must be unique")
        names.add(entry.name)
        tokens.add(entry.token)
        entries.append(entry)
    if not entries:
        raise TokenFileError(f"{source}: no tokens; {TOKENS_FILE_FORMAT}")
    return tuple(entries)


def read_tokens_file(path: str) -> tuple[TokenEntry, ...]:
    """Read and parse a tokens file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TokenFileError(f"cannot read tokens file {path}: {exc.strerror}") from exc
    return parse_tokens(text, path)


class TokenStore:
    """Finds the principal of a presented token in constant time per known token."""

    def __init__(self, entries: Iterable[TokenEntry]) -> None:
        # Compared as str: gRPC metadata values are ASCII, which compare_digest takes as they are.
        self._entries = tuple((e.token, e.principal) for e in entries)
        if not self._entries:
            raise ValueError("a token store needs at least one token")

    def lookup(self, presented: str) -> Principal | None:
        """The principal whose token equals presented, or None.

        Every known token is compared (no early exit), each with hmac.compare_digest, so the
        time taken does not tell how much of a token was right.
        """
        if not presented.isascii():
            return None  # compare_digest refuses non-ASCII str; no known token is one
        found: Principal | None = None
        for token, principal in self._entries:
            if hmac.compare_digest(token, presented):
                found = principal
        return found
