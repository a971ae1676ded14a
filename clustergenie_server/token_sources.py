"""Where the server's tokens come from: a tokens file, CLUSTERGENIE_TOKEN, or one it generates."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

import platformdirs

from clustergenie_server.domain.auth import Role
from clustergenie_server.security.tokens import TokenEntry, new_token, read_tokens_file
from clustergenie_server.settings import APP_NAME, AuthSettings, Settings

log = logging.getLogger(__name__)

SINGLE_TOKEN_NAME = "admin"  # the name of CLUSTERGENIE_TOKEN's (or a generated) token


def configured_entries(auth: AuthSettings) -> tuple[TokenEntry, ...]:
    """The tokens file's entries plus CLUSTERGENIE_TOKEN's admin token (either may be absent)."""
    entries = read_tokens_file(auth.tokens_file) if auth.tokens_file else ()
    if auth.token:
        entries = (*entries, TokenEntry(SINGLE_TOKEN_NAME, Role.ADMIN, auth.token))
    return entries


def default_token_path() -> Path:
    """Where a server with no configured tokens writes the one it generates."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "server-token"


def write_private_file(path: Path, text: str) -> None:
    """Write text to path readable and writable by this user only (0600), replacing it whole."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    # Created 0600 from the start: the token is never readable by others, not even briefly.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an old partial file may have had other bits
        os.write(fd, text.encode())
    finally:
        os.close(fd)
    os.replace(partial, path)


def _warn_if_others_can_read(path: Path) -> None:
    """Tokens are passwords: say so when the group or others may read the file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # reading it fails later with a message that names it
    if mode & 0o077:
        log.warning(
            "tokens file %s can be read by other users (mode %03o); chmod 600 %s",
            path,
            mode & 0o777,
            path,
        )


def prepare_tokens(settings: Settings) -> tuple[Settings, str | None]:
    """Settings with at least one token, and the token to hand over on stdout (or None).

    --issue-token (the desktop app's child): a fresh admin token, the only one accepted.
    No tokens configured: a fresh admin token written to default_token_path(); its path (never
    the token) is logged, as Jupyter does, so the server never runs open.
    """
    auth = settings.auth
    if auth.tokens_file:
        _warn_if_others_can_read(Path(auth.tokens_file))
    if auth.issue_token:
        token = new_token()
        return replace(settings, auth=replace(auth, token=token, tokens_file=None)), token
    if configured_entries(auth):
        return settings, None
    token = new_token()
    path = default_token_path()
    write_private_file(path, token + "\n")
    log.warning(
        "no tokens configured (--tokens-file or CLUSTERGENIE_TOKEN): generated an admin token "
        "in %s, readable only by you; connect with: clustergenie --server HOST:PORT "
        "--token-file %s",
        path,
        path,
    )
    return replace(settings, auth=replace(auth, token=token)), None
