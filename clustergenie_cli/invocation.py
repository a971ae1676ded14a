"""What every verb needs from the command line: the global options, calls, printing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import typer

from clustergenie_cli import output
from clustergenie_cli.connection import Options, run
from clustergenie_gui.client.client import ClusterGenieClient

T = TypeVar("T")


def options(ctx: typer.Context) -> Options:
    """The global options the root callback parsed (defaults when a verb runs on its own)."""
    root = ctx.find_root()
    found = root.obj
    return found if isinstance(found, Options) else Options()


def call(ctx: typer.Context, work: Callable[[ClusterGenieClient], Awaitable[T]]) -> T:
    """Run work against the server the options name."""
    return run(options(ctx), work)


def show(ctx: typer.Context, data: object, columns: Sequence[output.Column]) -> None:
    """Print data as --output says (table with --no-header honoured, json, yaml)."""
    opts = options(ctx)
    output.emit(data, columns, opts.output, no_header=opts.no_header)
