"""`clustergenie-ctl scale set|policy get|policy set|decisions`."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from clustergenie_cli import columns, resolve
from clustergenie_cli.commands.cluster import ClusterRef, Wait, WaitTimeout
from clustergenie_cli.completion import cluster_names
from clustergenie_cli.invocation import call, show
from clustergenie_cli.output import message
from clustergenie_cli.waiting import wait_for_jobs
from clustergenie_gui.client import types as t
from clustergenie_gui.client.client import ClientError, ClusterGenieClient

app = typer.Typer(
    help="Scaling: manual scaling, auto-scaling policies, decisions.", no_args_is_help=True
)
policy_app = typer.Typer(help="A cluster's auto-scaling policy.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@app.command("set")
def scale_set(
    ctx: typer.Context,
    ref: ClusterRef,
    count: Annotated[int, typer.Argument(help="the droplet count to reach", show_default=False)],
    wait: Wait = False,
    wait_timeout: WaitTimeout = 600.0,
) -> None:
    """Scale a cluster to COUNT droplets (a job adds or drains and destroys droplets)."""

    async def work(client: ClusterGenieClient) -> t.Job:
        job = await client.scale_cluster(await resolve.cluster_id(client, ref), count)
        message(f"scaling {ref} to {count} droplet(s): job {job.id} started")
        return (await wait_for_jobs(client, [job], wait_timeout))[0] if wait else job

    show(ctx, call(ctx, work), columns.JOB)


@policy_app.command("get")
def policy_get(ctx: typer.Context, ref: ClusterRef) -> None:
    """Show a cluster's auto-scaling policy."""

    async def work(client: ClusterGenieClient) -> t.ScalingPolicy:
        return await client.get_policy(await resolve.cluster_id(client, ref))

    show(ctx, call(ctx, work), columns.POLICY)


@policy_app.command("set")
def policy_set(
    ctx: typer.Context,
    ref: ClusterRef,
    metric: Annotated[t.ScalingMetric, typer.Option(help="what to track")] = t.ScalingMetric.CPU,
    target: Annotated[
        float, typer.Option(help="the metric's target per droplet", show_default=False)
    ] = 60.0,
    min_droplets: Annotated[int, typer.Option("--min", help="never fewer droplets")] = 1,
    max_droplets: Annotated[int, typer.Option("--max", help="never more droplets")] = 5,
    enabled: Annotated[bool, typer.Option("--enabled/--disabled", help="whether it acts")] = True,
) -> None:
    """Create or replace a cluster's policy (its rate limits and schedules are kept)."""

    async def work(client: ClusterGenieClient) -> t.ScalingPolicy:
        cluster_id = await resolve.cluster_id(client, ref)
        try:
            policy = await client.get_policy(cluster_id)
        except ClientError as error:
            if error.code != "NOT_FOUND":
                raise
            policy = t.ScalingPolicy(cluster_id, metric, target, min_droplets, max_droplets)
        policy = dataclasses.replace(
            policy,
            metric=metric,
            target=target,
            min_droplets=min_droplets,
            max_droplets=max_droplets,
            enabled=enabled,
        )
        return await client.set_policy(policy)

    show(ctx, call(ctx, work), columns.POLICY)


@app.command("decisions")
def decisions(
    ctx: typer.Context,
    cluster: Annotated[
        str, typer.Option(help="only this cluster (name or id)", autocompletion=cluster_names)
    ] = "",
    limit: Annotated[
        int, typer.Option(min=0, help="at most this many (0: the server's default)")
    ] = 20,
    changes_only: Annotated[
        bool, typer.Option("--changes-only", help="only decisions that scaled")
    ] = False,
) -> None:
    """The auto-scaler's recent decisions, newest first."""

    async def work(client: ClusterGenieClient) -> list[t.ScalingDecision]:
        cluster_id = await resolve.cluster_id(client, cluster) if cluster else 0
        return await client.list_decisions(cluster_id, limit, changes_only)

    show(ctx, call(ctx, work), columns.DECISION)
