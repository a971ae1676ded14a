"""`clustergenie-ctl droplet list|get|resize|reboot|power-off|power-on|destroy`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import typer

from clustergenie_cli import columns, resolve
from clustergenie_cli.commands.cluster import Wait, WaitTimeout
from clustergenie_cli.completion import cluster_names, droplet_names
from clustergenie_cli.invocation import call, show
from clustergenie_cli.output import message
from clustergenie_cli.waiting import wait_for_jobs
from clustergenie_gui.client import types as t
from clustergenie_gui.client.client import ClusterGenieClient

app = typer.Typer(help="Droplets: the simulated virtual machines.", no_args_is_help=True)

DropletRef = Annotated[
    str, typer.Argument(help="droplet name or id", autocompletion=droplet_names, show_default=False)
]
Action = Callable[[ClusterGenieClient, int], Awaitable[t.DropletAction]]


@app.command("list")
def list_droplets(
    ctx: typer.Context,
    cluster: Annotated[
        str, typer.Option(help="only this cluster (name or id)", autocompletion=cluster_names)
    ] = "",
    include_destroyed: Annotated[bool, typer.Option("--all", help="destroyed ones too")] = False,
) -> None:
    """List droplets, of every cluster or of one."""

    async def work(client: ClusterGenieClient) -> list[t.Droplet]:
        cluster_id = await resolve.cluster_id(client, cluster) if cluster else 0
        return await client.list_droplets(cluster_id, include_destroyed)

    show(ctx, call(ctx, work), columns.DROPLET)


@app.command("get")
def get_droplet(ctx: typer.Context, ref: DropletRef) -> None:
    """Show one droplet."""
    show(ctx, call(ctx, lambda c: resolve.droplet(c, ref)), columns.DROPLET)


def _act(
    ctx: typer.Context, ref: str, verb: str, action: Action, wait: bool, within: float
) -> None:
    async def work(client: ClusterGenieClient) -> t.Droplet:
        droplet = await resolve.droplet(client, ref)
        done = await action(client, droplet.id)
        job = done.job
        message(f"{verb} droplet {droplet.name}" + (f": job {job.id} started" if job else ""))
        if wait and job is not None:
            await wait_for_jobs(client, [job], within)
            return await client.get_droplet(droplet.id)
        return done.droplet

    show(ctx, call(ctx, work), columns.DROPLET)


@app.command("resize")
def resize(
    ctx: typer.Context,
    ref: DropletRef,
    size: Annotated[str, typer.Option(help="the new size slug", show_default=False)],
    wait: Wait = False,
    wait_timeout: WaitTimeout = 600.0,
) -> None:
    """Resize a droplet."""
    _act(ctx, ref, "resizing", lambda c, i: c.resize_droplet(i, size), wait, wait_timeout)


@app.command("reboot")
def reboot(
    ctx: typer.Context, ref: DropletRef, wait: Wait = False, wait_timeout: WaitTimeout = 600.0
) -> None:
    """Reboot a droplet."""
    _act(ctx, ref, "rebooting", lambda c, i: c.reboot_droplet(i), wait, wait_timeout)


@app.command("power-off")
def power_off(
    ctx: typer.Context, ref: DropletRef, wait: Wait = False, wait_timeout: WaitTimeout = 600.0
) -> None:
    """Power a droplet off."""
    _act(ctx, ref, "powering off", lambda c, i: c.power_off_droplet(i), wait, wait_timeout)


@app.command("power-on")
def power_on(
    ctx: typer.Context, ref: DropletRef, wait: Wait = False, wait_timeout: WaitTimeout = 600.0
) -> None:
    """Power a droplet on."""
    _act(ctx, ref, "powering on", lambda c, i: c.power_on_droplet(i), wait, wait_timeout)


@app.command("destroy")
def destroy(
    ctx: typer.Context,
    ref: DropletRef,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="do not ask for confirmation")
    ] = False,
    wait: Wait = False,
    wait_timeout: WaitTimeout = 600.0,
) -> None:
    """Destroy a droplet."""
    if not force:
        typer.confirm(f"Destroy droplet {ref}?", abort=True)
    _act(ctx, ref, "destroying", lambda c, i: c.destroy_droplet(i), wait, wait_timeout)
