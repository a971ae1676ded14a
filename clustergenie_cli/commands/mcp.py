"""`clustergenie-ctl mcp`: serve the server's calls to an AI assistant over the Model Context
Protocol (stdio), read-only unless the token's role allows more."""

from __future__ import annotations

import importlib.util

import typer

from clustergenie_cli.connection import CliFailure
from clustergenie_cli.exit_codes import ExitCode
from clustergenie_cli.invocation import options


def mcp(ctx: typer.Context) -> None:
    """Run an MCP server on stdin/stdout for an AI assistant (Claude Desktop, an IDE): tools to
    list clusters, droplets, jobs and checks, search logs, read the timeline and diagnose; an
    operator's or admin's token adds tools that act (apply a remedy, scale, cancel a job).
    See docs/MCP.md for the client configuration."""
    if importlib.util.find_spec("mcp") is None:  # an optional extra: say how to get it
        raise CliFailure(
            ExitCode.FAILED,
            "The MCP server needs the mcp package: pip install 'clustergenie[mcp]'.",
        )
    # Imported here: the MCP SDK (pydantic, starlette) is not loaded by every other verb.
    from clustergenie_cli.mcp_server import server

    server.run(options(ctx))
