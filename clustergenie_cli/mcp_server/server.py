"""The MCP server of `clustergenie-ctl mcp`: one client to the ClusterGenie server, the tools
its token's role allows, served over stdio until the MCP client closes the pipe."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from mcp.server.mcpserver import MCPServer

from clustergenie_cli.connection import Options, sentence
from clustergenie_cli.mcp_server import diagnosis_tools, read_tools, write_tools
from clustergenie_cli.mcp_server.backend import Backend
from clustergenie_gui.client.auth_types import Role
from clustergenie_gui.client.client import ClientError, ClusterGenieClient
from clustergenie_server.version import __version__

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "ClusterGenie manages simulated cloud clusters of droplets (virtual machines). Start with "
    "list_clusters; diagnose investigates a cluster and returns the root cause, its evidence and "
    'remedies; search_logs takes LogQL-style queries such as {cluster="web", level="error"}; '
    "timeline lists what happened. Times are simulated Unix seconds. "
)


def build(backend: Backend, role: Role) -> MCPServer[Any]:
    """An MCP server with the read-only tools, and the write tools role may call."""
    can_apply = role >= Role.OPERATOR
    mode = (
        f"This token is an {role.label}'s: tools that change things are offered."
        if can_apply
        else f"This token is a {role.label}'s: every tool is read-only."
    )
    # WARNING: the SDK logs every tool error at INFO on stderr, which an MCP host shows as noise.
    server: MCPServer[Any] = MCPServer(
        "clustergenie", version=__version__, instructions=INSTRUCTIONS + mode, log_level="WARNING"
    )
    read_tools.register(server, backend)
    diagnosis_tools.register_diagnose(server, backend, can_apply)
    if can_apply:
        diagnosis_tools.register_apply(server, backend)
    write_tools.register(server, backend, role)
    return server


async def _role(backend: Backend) -> Role:
    """The token's role, asked once at start; read-only when the server cannot say (the tools
    then report why each call fails, and a restarted host picks the role up again)."""
    try:
        return (await backend.client.who_am_i()).role
    except ClientError as error:
        log.warning(
            "%s Serving the read-only tools.", sentence(error, backend.target, backend.timeout)
        )
        return Role.VIEWER


async def serve(options: Options) -> None:
    """Connect, learn the token's role, serve MCP on stdin/stdout until the client leaves."""
    target = options.target()
    client = ClusterGenieClient(unary_timeout=options.timeout)
    client.set_credentials(target.credentials)
    await client.connect(target.server)  # inside the loop: the channel belongs to it
    backend = Backend(client, target, options.timeout)
    try:
        await build(backend, await _role(backend)).run_stdio_async()
    finally:
        await client.close()


def run(options: Options) -> None:
    """Serve until stdin closes (the MCP client ended the session)."""
    asyncio.run(serve(options))
