"""`clustergenie-ctl whoami`, `audit` and `version`: who I am, who did what, what runs where."""

from __future__ import annotations

import sys
from typing import Annotated

import grpc
import typer

from clustergenie_cli import columns
from clustergenie_cli.connection import CliFailure
from clustergenie_cli.invocation import call, options, show
from clustergenie_gui.client.client import ClusterGenieClient
from clustergenie_gui.client.info_types import ServerInfo
from clustergenie_server.version import __version__


def whoami(ctx: typer.Context) -> None:
    """The token's name and role on the server."""
    show(ctx, call(ctx, lambda c: c.who_am_i()), columns.IDENTITY)


def audit(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="at most this many entries")] = 50,
    method: Annotated[str, typer.Option(help="only this method, e.g. CreateCluster")] = "",
    caller: Annotated[str, typer.Option(help="only this token name")] = "",
) -> None:
    """The audit log of mutating calls, newest first (admin)."""
    show(
        ctx,
        call(ctx, lambda c: c.list_audit_entries(limit=limit, method=method, caller=caller)),
        columns.AUDIT,
    )


def client_versions() -> dict[str, str]:
    """This program's versions."""
    return {"clustergenie-ctl": __version__, "grpcio": grpc.__version__}


def version(
    ctx: typer.Context,
    client_only: Annotated[bool, typer.Option("--client", help="do not ask the server")] = False,
) -> None:
    """The versions of this client and of the server it talks to."""
    server: ServerInfo | None = None
    problem = ""
    if not client_only:
        try:
            server = call(ctx, _server_info)
        except CliFailure as failure:
            problem = failure.message
    opts = options(ctx)
    if opts.output != "table":
        data: dict[str, object] = {"client": client_versions(), "server": server}
        show(ctx, data, ())
        return
    lines = [f"clustergenie-ctl {__version__} (grpcio {grpc.__version__})"]
    if server is not None:
        lines.append(
            f"server {server.version} (grpcio {server.grpcio_version}, Python "
            f"{server.python_version}; database {server.database}, bus {server.bus}, cache "
            f"{server.cache}{', TLS' if server.tls else ''})"
        )
    elif problem:
        lines.append(f"server: unknown ({problem})")
    sys.stdout.write("\n".join(lines) + "\n")


async def _server_info(client: ClusterGenieClient) -> ServerInfo:
    return await client.get_server_info()
