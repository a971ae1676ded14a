"""Which server to talk to and with what token, and running one command's calls against it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import platformdirs

from clustergenie_cli import contexts
from clustergenie_cli.exit_codes import ExitCode, for_status
from clustergenie_gui.client import bundled_discovery
from clustergenie_gui.client.auth_types import Credentials
from clustergenie_gui.client.client import ClientError, ClusterGenieClient

T = TypeVar("T")

DEFAULT_SERVER = "127.0.0.1:50051"
TOKEN_ENV = "CLUSTERGENIE_TOKEN"


def generated_token_path() -> Path:
    """Where a server started without tokens writes the admin token it generates (the same
    path clustergenie-server logs), so `clustergenie-ctl` works next to it with no setup."""
    return Path(platformdirs.user_config_dir(contexts.APP_NAME, appauthor=False)) / "server-token"


class CliFailure(Exception):
    """A command failed: `message` is one sentence for people, `code` the process's exit code."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved server address and the credentials to present to it."""

    server: str
    credentials: Credentials = field(default_factory=Credentials)
    source: str = "default"  # where the address came from: flag, context NAME, default


@dataclass(frozen=True, slots=True)
class Options:
    """The global options of one invocation (flags and CLUSTERGENIE_* env already merged)."""

    server: str | None = None
    token_file: str | None = None
    tls_ca: str | None = None
    context: str | None = None
    output: str = "table"
    no_header: bool = False
    timeout: float = 10.0

    def target(self) -> Target:
        """Flags and env beat the context (named, else current), which beats a running desktop
        app's bundled server (published for this user), which beats the defaults."""
        try:
            saved = contexts.load()
            name = self.context or saved.current
            context = saved.get(name) if name else None
        except contexts.ContextError as exc:
            raise CliFailure(ExitCode.NOT_FOUND, str(exc)) from exc
        ca_path = self.tls_ca or (context.tls_ca if context else "")
        ca = _read(ca_path, "TLS CA") if ca_path else None
        if not self.server and context is None and (app := bundled_discovery.find()):
            explicit = self.token_file or os.environ.get(TOKEN_ENV, "").strip()
            token = self._token(None) if explicit else app.token
            return Target(app.server, Credentials(token, ca), "the desktop app's server")
        server = self.server or (context.server if context else DEFAULT_SERVER)
        source = "flag" if self.server else (f"context {name}" if context else "default")
        return Target(server, Credentials(self._token(context), ca), source)

    def _token(self, context: contexts.Context | None) -> str:
        if self.token_file:
            return _token_in(self.token_file)
        if env_token := os.environ.get(TOKEN_ENV, "").strip():
            return _checked(env_token, TOKEN_ENV)
        if context is not None and context.token_file:
            return _token_in(context.token_file)
        if context is not None and context.token:
            return _checked(context.token, "the context's stored token")
        generated = generated_token_path()
        return _token_in(str(generated)) if generated.is_file() else ""


def _token_in(path: str) -> str:
    return _checked(_read(path, "token").decode(errors="replace").strip(), f"the token file {path}")


def _checked(token: str, where: str) -> str:
    """A token is one word of printable ASCII (it travels as an HTTP/2 header value)."""
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise CliFailure(
            ExitCode.USAGE,
            f"{where[:1].upper()}{where[1:]} does not hold one token (a single word of printable "
            "ASCII); a tokens file of the server is not a token file.",
        )
    return token


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise CliFailure(
            ExitCode.NOT_FOUND, f"Cannot read the {what} file {path}: {exc.strerror}."
        ) from exc


def sentence(error: ClientError, target: Target, timeout: float) -> str:
    """One clear sentence for a failed call; never grpc's own transport text."""
    if error.code == "UNAVAILABLE":
        return (
            f"Cannot reach a ClusterGenie server at {target.server} ({target.source}); is it "
            "running? Point at it with --server or `clustergenie-ctl context use`."
        )
    if error.code == "DEADLINE_EXCEEDED":
        return f"The server at {target.server} did not answer within {timeout:g} s (--timeout)."
    if error.code == "UNAUTHENTICATED" and not target.credentials.token:
        return (
            f"The server at {target.server} needs a token: give --token-file FILE, set "
            f"{TOKEN_ENV}, or add a context with --token-file."
        )
    text = error.message.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."


def run(options: Options, work: Callable[[ClusterGenieClient], Awaitable[T]]) -> T:
    """Connect, run work with the client (every unary call with --timeout), close; a failed
    call becomes a CliFailure with the exit code of its class."""
    target = options.target()

    async def session() -> T:
        client = ClusterGenieClient(unary_timeout=options.timeout)
        client.set_credentials(target.credentials)
        await client.connect(target.server)  # inside the loop: the channel belongs to it
        try:
            return await work(client)
        finally:
            await client.close()

    try:
        return asyncio.run(session())
    except ClientError as error:
        raise CliFailure(
            for_status(error.code), sentence(error, target, options.timeout)
        ) from error
