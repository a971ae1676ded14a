"""`clustergenie-ctl context add|use|list|remove`: named servers, like kubectl's contexts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from clustergenie_cli import contexts
from clustergenie_cli.connection import CliFailure
from clustergenie_cli.exit_codes import ExitCode
from clustergenie_cli.invocation import show
from clustergenie_cli.output import message

app = typer.Typer(
    help="Contexts: named servers with their token file and TLS CA.", no_args_is_help=True
)

Name = Annotated[str, typer.Argument(help="the context's name", show_default=False)]


@dataclass(frozen=True, slots=True)
class ContextRow:
    """A context as `context list` shows it (never the token itself)."""

    name: str
    current: bool
    server: str
    token_file: str
    tls_ca: str
    stored_token: bool


def _load() -> contexts.ContextFile:
    try:
        return contexts.load()
    except contexts.ContextError as exc:
        raise CliFailure(ExitCode.FAILED, str(exc)) from exc


def _require(saved: contexts.ContextFile, name: str) -> None:
    try:
        saved.get(name)
    except contexts.ContextError as exc:
        raise CliFailure(ExitCode.NOT_FOUND, str(exc)) from exc


@app.command("add")
def add(
    name: Name,
    server: Annotated[str, typer.Option(help="HOST:PORT of the server", show_default=False)],
    token_file: Annotated[str, typer.Option(help="file holding the token (read at each use)")] = "",
    tls_ca: Annotated[str, typer.Option(help="PEM CA to trust for TLS (empty: plaintext)")] = "",
    store_token: Annotated[
        bool, typer.Option("--store-token", help="copy the token into the contexts file (0600)")
    ] = False,
) -> None:
    """Add or replace a context; the first one added becomes the current one."""
    token = ""
    if store_token:
        if not token_file:
            raise CliFailure(ExitCode.USAGE, "--store-token needs --token-file to read it from.")
        try:
            token = Path(token_file).expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CliFailure(
                ExitCode.NOT_FOUND, f"Cannot read the token file {token_file}: {exc.strerror}."
            ) from exc
        token_file = ""
    absolute = str(Path(token_file).expanduser().resolve()) if token_file else ""
    ca = str(Path(tls_ca).expanduser().resolve()) if tls_ca else ""
    saved = _load().with_context(name, contexts.Context(server, absolute, ca, token))
    path = contexts.save(saved)
    message(f"context {name} saved in {path}" + (" (current)" if saved.current == name else ""))


@app.command("use")
def use(name: Name) -> None:
    """Make a context the current one."""
    saved = _load()
    _require(saved, name)
    contexts.save(contexts.ContextFile(name, saved.contexts))
    message(f"now using context {name} ({saved.contexts[name].server})")


@app.command("list")
def list_contexts(ctx: typer.Context) -> None:
    """List contexts; the current one is marked."""
    saved = _load()
    rows = [
        ContextRow(n, n == saved.current, c.server, c.token_file, c.tls_ca, bool(c.token))
        for n, c in sorted(saved.contexts.items())
    ]
    show(
        ctx,
        rows,
        (
            ("Current", lambda r: "*" if r.current else ""),
            ("Name", lambda r: r.name),
            ("Server", lambda r: r.server),
            ("Token file", lambda r: r.token_file or ("(stored)" if r.stored_token else "")),
            ("TLS CA", lambda r: r.tls_ca),
        ),
    )


@app.command("remove")
def remove(name: Name) -> None:
    """Remove a context."""
    saved = _load()
    _require(saved, name)
    contexts.save(saved.without(name))
    message(f"context {name} removed")
