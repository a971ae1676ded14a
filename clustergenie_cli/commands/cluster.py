"""`clustergenie-ctl cluster list|get|create|delete`."""

from __future__ import annotations

from typing import Annotated

import typer

from clustergenie_cli import columns, resolve
from clustergenie_cli.completion import cluster_names
from clustergenie_cli.invocation import call, show
from clustergenie_cli.output import message
from clustergenie_cli.waiting import wait_for_jobs
from clustergenie_gui.client import types as t
from clustergenie_gui.client.client import ClusterGenieClient

app = typer.Typer(help="Clusters: named groups of droplets in one region.", no_args_is_help=True)

ClusterRef = Annotated[
    str, typer.Argument(help="cluster name or id", autocompletion=cluster_names, show_default=False)
]
Wait = Annotated[bool, typer.Option("--wait", help="wait until the jobs it starts are finished")]
WaitTimeout = Annotated[
    float, typer.Option("--wait-timeout", metavar="SECONDS", help="give up waiting after this")
]


@app.command("list")
def list_clusters(
    ctx: typer.Context,
    include_deleted: Annotated[bool, typer.Option("--all", help="deleted clusters too")] = False,
) -> None:
    """List clusters."""
    show(ctx, call(ctx, lambda c: c.list_clusters(include_deleted)), columns.CLUSTER)


@app.command("get")
def get_cluster(ctx: typer.Context, ref: ClusterRef) -> None:
    """Show one cluster."""
    show(ctx, call(ctx, lambda c: resolve.cluster(c, ref)), columns.CLUSTER)


@app.command("create")
def create_cluster(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the new cluster's name", show_default=False)],
    region: Annotated[str, typer.Option(help="region slug (`catalog regions`)")] = "nyc1",
    size: Annotated[str, typer.Option(help="droplet size slug (`catalog sizes`)")] = "s-1vcpu-1gb",
    image: Annotated[str, typer.Option(help="image slug (`catalog images`)")] = "ubuntu-24-04-x64",
    count: Annotated[int, typer.Option("--count", "-n", help="droplets to provision")] = 1,
    tag: Annotated[list[str] | None, typer.Option(help="a tag (repeatable)")] = None,
    wait: Wait = False,
    wait_timeout: WaitTimeout = 600.0,
) -> None:
    """Create a cluster and provision its droplets."""

    async def work(client: ClusterGenieClient) -> t.Cluster:
        action = await client.create_cluster(name, region, size, image, count, tag or ())
        message(
            f"cluster {action.cluster.name} (id {action.cluster.id}) created; "
            f"{len(action.jobs)} provisioning job(s) started"
        )
        if wait:
            await wait_for_jobs(client, action.jobs, wait_timeout)
            return await client.get_cluster(action.cluster.id)
        return action.cluster

    show(ctx, call(ctx, work), columns.CLUSTER)


@app.command("delete")
def delete_cluster(
    ctx: typer.Context,
    ref: ClusterRef,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="do not ask for confirmation")
    ] = False,
    wait: Wait = False,
    wait_timeout: WaitTimeout = 600.0,
) -> None:
    """Delete a cluster and destroy its droplets."""
    if not force:
        typer.confirm(f"Delete cluster {ref} and destroy its droplets?", abort=True)

    async def work(client: ClusterGenieClient) -> t.Cluster:
        action = await client.delete_cluster(await resolve.cluster_id(client, ref))
        message(f"deleting cluster {action.cluster.name}: {len(action.jobs)} job(s) started")
        if wait:
            await wait_for_jobs(client, action.jobs, wait_timeout)
            return await client.get_cluster(action.cluster.id)
        return action.cluster

    show(ctx, call(ctx, work), columns.CLUSTER)
