"""`clustergenie-ctl fault inject|list|clear`: the simulated cloud's failures, on purpose."""

from __future__ import annotations

from typing import Annotated

import typer

from clustergenie_cli import columns, resolve
from clustergenie_cli.commands.cluster import ClusterRef
from clustergenie_cli.completion import cluster_names, droplet_names
from clustergenie_cli.invocation import call, show
from clustergenie_gui.client import types as t
from clustergenie_gui.client.client import ClusterGenieClient

app = typer.Typer(help="Faults injected into the simulated cloud (admin).", no_args_is_help=True)


@app.command("inject")
def inject(
    ctx: typer.Context,
    kind: Annotated[
        t.FaultKind,
        typer.Argument(
            help="what the fault does",
            show_default=False,
        ),
    ],
    cluster: ClusterRef,
    droplet: Annotated[
        str, typer.Option(help="only this droplet (name or id)", autocompletion=droplet_names)
    ] = "",
    magnitude: Annotated[float, typer.Option(help="how strong (0: the kind's default)")] = 0.0,
    after: Annotated[
        float, typer.Option(metavar="SECONDS", help="start after this many simulated seconds")
    ] = 0.0,
    duration: Annotated[
        float, typer.Option(metavar="SECONDS", help="last this long (0: until cleared)")
    ] = 0.0,
) -> None:
    """Inject a fault into a cluster or one of its droplets."""

    async def work(client: ClusterGenieClient) -> t.Fault:
        cluster_id = await resolve.cluster_id(client, cluster)
        droplet_id = (await resolve.droplet(client, droplet)).id if droplet else 0
        return await client.inject_fault(kind, cluster_id, droplet_id, magnitude, after, duration)

    show(ctx, call(ctx, work), columns.FAULT)


@app.command("list")
def list_faults(
    ctx: typer.Context,
    cluster: Annotated[
        str, typer.Option(help="only this cluster (name or id)", autocompletion=cluster_names)
    ] = "",
    include_ended: Annotated[bool, typer.Option("--all", help="ended faults too")] = False,
) -> None:
    """List scheduled and active faults."""

    async def work(client: ClusterGenieClient) -> list[t.Fault]:
        cluster_id = await resolve.cluster_id(client, cluster) if cluster else 0
        return await client.list_faults(cluster_id, include_ended)

    show(ctx, call(ctx, work), columns.FAULT)


@app.command("clear")
def clear(
    ctx: typer.Context,
    fault_id: Annotated[int, typer.Argument(help="fault id", show_default=False)],
) -> None:
    """End a fault now."""
    show(ctx, call(ctx, lambda c: c.clear_fault(fault_id)), columns.FAULT)
