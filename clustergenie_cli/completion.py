"""Shell completion of cluster and droplet names, asked of the server the command line names."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import typer

from clustergenie_cli.connection import CliFailure, Options, run
from clustergenie_gui.client.client import ClusterGenieClient

# A shell waits for completions as the user types: ask briefly, and offer nothing on failure.
COMPLETION_TIMEOUT = 2.0


def _options(ctx: typer.Context) -> Options:
    """The global options typed so far (completion parses them but runs no callback)."""
    params = ctx.find_root().params
    return Options(
        server=params.get("server"),
        token_file=params.get("token_file"),
        tls_ca=params.get("tls_ca"),
        context=params.get("context"),
        timeout=COMPLETION_TIMEOUT,
    )


def _names(
    ctx: typer.Context, incomplete: str, fetch: Callable[[ClusterGenieClient], Awaitable[list[str]]]
) -> list[str]:
    try:
        names = run(_options(ctx), fetch)
    except CliFailure:
        return []
    return sorted(n for n in set(names) if n.startswith(incomplete))


def cluster_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Names of the live clusters that start with what was typed."""

    async def fetch(client: ClusterGenieClient) -> list[str]:
        return [c.name for c in await client.list_clusters()]

    return _names(ctx, incomplete, fetch)


def droplet_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Names of the live droplets that start with what was typed."""

    async def fetch(client: ClusterGenieClient) -> list[str]:
        return [d.name for d in await client.list_droplets()]

    return _names(ctx, incomplete, fetch)
