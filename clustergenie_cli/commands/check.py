"""`clustergenie-ctl check list|add|run|pause`: Health's synthetic checks."""

from __future__ import annotations

from typing import Annotated

import typer

from clustergenie_cli import output, resolve
from clustergenie_cli.completion import cluster_names, droplet_names
from clustergenie_cli.connection import CliFailure
from clustergenie_cli.exit_codes import ExitCode
from clustergenie_cli.invocation import call, show
from clustergenie_gui.client.client import ClusterGenieClient
from clustergenie_gui.client.health_client import (
    KINDS,
    CheckForm,
    CheckInfo,
    HealthClient,
    TargetHealth,
)

app = typer.Typer(help="Health checks: list, add (admin), run now, pause.", no_args_is_help=True)

CHECK: tuple[output.Column, ...] = (
    ("ID", lambda c: c.id),
    ("Name", lambda c: c.form.name),
    ("Kind", lambda c: c.form.kind),
    ("Target", lambda c: c.form.address or f"{c.form.target_kind} {c.form.target_id}"),
    ("Every s", lambda c: c.form.interval_seconds),
    ("Conditions", lambda c: c.form.conditions),
    ("Locations", lambda c: c.form.locations),
    ("Paused", lambda c: c.paused),
)
STATUS: tuple[output.Column, ...] = (
    ("Check", lambda r: r.check_id),
    ("Target", lambda r: r.label),
    ("State", lambda r: r.state),
    ("Latency ms", lambda r: round(r.latency_ms)),
    ("Last result", lambda r: r.last_reason),
)
CheckId = Annotated[int, typer.Argument(help="check id (see `check list`)", show_default=False)]


def _health(client: ClusterGenieClient) -> HealthClient:
    return HealthClient(client.channel, client.unary_timeout)


@app.command("list")
def list_checks(
    ctx: typer.Context,
    cluster: Annotated[
        str, typer.Option(help="only this cluster (name or id)", autocompletion=cluster_names)
    ] = "",
    status: Annotated[
        bool, typer.Option("--status", help="each target's state and last result instead")
    ] = False,
) -> None:
    """List the checks (or, with --status, every checked target's state)."""

    async def work(client: ClusterGenieClient) -> list[CheckInfo] | list[TargetHealth]:
        cluster_id = await resolve.cluster_id(client, cluster) if cluster else 0
        if status:
            rows = await _health(client).status()
            return [r for r in rows if not cluster_id or r.cluster_id == cluster_id]
        return await _health(client).list_checks(cluster_id)

    show(ctx, call(ctx, work), STATUS if status else CHECK)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the check's name", show_default=False)],
    kind: Annotated[str, typer.Option(help=f"how to probe: {', '.join(KINDS)}")] = "http",
    cluster: Annotated[
        str, typer.Option(help="every droplet of this cluster", autocompletion=cluster_names)
    ] = "",
    droplet: Annotated[
        str, typer.Option(help="one droplet (name or id)", autocompletion=droplet_names)
    ] = "",
    address: Annotated[str, typer.Option(help="a real host:port or URL instead")] = "",
    conditions: Annotated[
        str, typer.Option(help='e.g. "[STATUS] == 200 && [RESPONSE_TIME] < 300"')
    ] = "",
    interval: Annotated[float, typer.Option(metavar="SECONDS", help="how often")] = 10.0,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="per probe")] = 5.0,
    failures: Annotated[int, typer.Option(help="failures in a row before unhealthy")] = 3,
    location: Annotated[
        list[str] | None, typer.Option(help="probe from this region (repeat; default nyc1)")
    ] = None,
) -> None:
    """Add a check on a cluster, a droplet or an address (admin)."""
    if sum(bool(x) for x in (cluster, droplet, address)) != 1:
        raise CliFailure(ExitCode.USAGE, "Give exactly one of --cluster, --droplet, --address.")
    if kind not in KINDS:
        raise CliFailure(ExitCode.USAGE, f"--kind {kind!r} is not one of {', '.join(KINDS)}.")

    async def work(client: ClusterGenieClient) -> list[CheckInfo]:
        if cluster:
            target_kind, target_id = "cluster", await resolve.cluster_id(client, cluster)
        elif droplet:
            target_kind, target_id = "droplet", (await resolve.droplet(client, droplet)).id
        else:
            target_kind, target_id = "address", 0
        form = CheckForm(
            name, kind, target_kind, target_id, address, interval, timeout, conditions,
            failures, 1, tuple(location or ("nyc1",)),
        )  # fmt: skip
        health = _health(client)
        check_id = await health.create_check(form)
        return [c for c in await health.list_checks() if c.id == check_id]

    show(ctx, call(ctx, work), CHECK)


@app.command("run")
def run(ctx: typer.Context, check_id: CheckId) -> None:
    """Probe a check's targets now and show their state (operator)."""

    async def work(client: ClusterGenieClient) -> list[TargetHealth]:
        health = _health(client)
        await health.run_now(check_id)
        return [r for r in await health.status() if r.check_id == check_id]

    show(ctx, call(ctx, work), STATUS)


@app.command("pause")
def pause(
    ctx: typer.Context,
    check_id: CheckId,
    resume: Annotated[bool, typer.Option("--resume", help="resume it instead")] = False,
) -> None:
    """Pause a check (no probes, no alerts) or, with --resume, resume it (operator)."""

    async def work(client: ClusterGenieClient) -> list[CheckInfo]:
        health = _health(client)
        await health.set_paused(check_id, not resume)
        return [c for c in await health.list_checks() if c.id == check_id]

    show(ctx, call(ctx, work), CHECK)
