"""Clusters and droplets by name or id, as people type them."""

from __future__ import annotations

from clustergenie_cli.connection import CliFailure
from clustergenie_cli.exit_codes import ExitCode
from clustergenie_gui.client import types as t
from clustergenie_gui.client.client import ClusterGenieClient


async def cluster(client: ClusterGenieClient, ref: str) -> t.Cluster:
    """The cluster with this id (digits) or name; CliFailure(NOT_FOUND) naming it otherwise."""
    if ref.isdigit():
        return await client.get_cluster(int(ref))
    for candidate in await client.list_clusters():
        if candidate.name == ref:
            return candidate
    raise CliFailure(
        ExitCode.NOT_FOUND,
        f"There is no cluster named {ref!r}; see `clustergenie-ctl cluster list`.",
    )


async def cluster_id(client: ClusterGenieClient, ref: str) -> int:
    """The id of the cluster with this id or name."""
    return int(ref) if ref.isdigit() else (await cluster(client, ref)).id


async def droplet(client: ClusterGenieClient, ref: str) -> t.Droplet:
    """The droplet with this id (digits) or name; CliFailure(NOT_FOUND) naming it otherwise."""
    if ref.isdigit():
        return await client.get_droplet(int(ref))
    matches = [d for d in await client.list_droplets() if d.name == ref]
    if not matches:
        raise CliFailure(
            ExitCode.NOT_FOUND,
            f"There is no droplet named {ref!r}; see `clustergenie-ctl droplet list`.",
        )
    if len(matches) > 1:
        ids = ", ".join(str(d.id) for d in matches)
        raise CliFailure(
            ExitCode.USAGE, f"Several droplets are named {ref!r} (ids {ids}); give the id."
        )
    return matches[0]
