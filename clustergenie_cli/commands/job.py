"""`clustergenie-ctl job list|get|watch|cancel|retry`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from typing import Annotated

import typer

from clustergenie_cli import columns, output, resolve
from clustergenie_cli.commands.cluster import Wait, WaitTimeout
from clustergenie_cli.completion import cluster_names
from clustergenie_cli.invocation import call, options, show
from clustergenie_cli.waiting import wait_for_jobs
from clustergenie_gui.client import types as t
from clustergenie_gui.client.client import ClusterGenieClient

app = typer.Typer(
    help="Jobs: the long work (provisioning, actions, scaling).", no_args_is_help=True
)

JobId = Annotated[int, typer.Argument(help="job id", show_default=False)]


@app.command("list")
def list_jobs(
    ctx: typer.Context,
    state: Annotated[
        list[t.JobState] | None, typer.Option(help="only jobs in this state (repeatable)")
    ] = None,
    cluster: Annotated[
        str, typer.Option(help="only this cluster (name or id)", autocompletion=cluster_names)
    ] = "",
    limit: Annotated[int, typer.Option(help="at most this many (0: the server's default)")] = 0,
) -> None:
    """List recent jobs, newest first."""

    async def work(client: ClusterGenieClient) -> list[t.Job]:
        cluster_id = await resolve.cluster_id(client, cluster) if cluster else 0
        return await client.list_jobs(state or (), cluster_id, limit)

    show(ctx, call(ctx, work), columns.JOB)


@app.command("get")
def get_job(ctx: typer.Context, job_id: JobId) -> None:
    """Show one job."""
    show(ctx, call(ctx, lambda c: c.get_job(job_id)), columns.JOB)


@app.command("watch")
def watch_jobs(
    ctx: typer.Context,
    job_ids: Annotated[
        list[int] | None, typer.Argument(help="follow these until they finish", show_default=False)
    ] = None,
    wait_timeout: WaitTimeout = 600.0,
) -> None:
    """Follow jobs: the given ones until they finish, or every change (until Ctrl-C)."""
    if job_ids:

        async def follow(client: ClusterGenieClient) -> list[t.Job]:
            jobs = [await client.get_job(i) for i in job_ids]
            return await wait_for_jobs(client, jobs, wait_timeout)

        show(ctx, call(ctx, follow), columns.JOB)
        return
    as_json = options(ctx).output != "table"

    async def stream(client: ClusterGenieClient) -> None:
        live = False  # the snapshot's jobs are history: print only the changes after it
        async for event in client.watch_jobs(snapshot_limit=1):
            if isinstance(event, t.SnapshotComplete) or not live:
                live = live or isinstance(event, t.SnapshotComplete)
                continue
            if as_json:  # one JSON object a line, for scripts (jq -c)
                sys.stdout.write(json.dumps(output.plain(event)) + "\n")
            else:
                sys.stdout.write(
                    f"{event.id}\t{event.kind.value}\t{event.state.value}\t"
                    f"{event.progress:.0%}\t{event.step}\t{event.target_name}\n"
                )
            sys.stdout.flush()

    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        call(ctx, stream)


@app.command("cancel")
def cancel_job(ctx: typer.Context, job_id: JobId) -> None:
    """Ask a queued or running job to stop."""
    show(ctx, call(ctx, lambda c: c.cancel_job(job_id)), columns.JOB)


@app.command("retry")
def retry_job(
    ctx: typer.Context, job_id: JobId, wait: Wait = False, wait_timeout: WaitTimeout = 600.0
) -> None:
    """Queue a new job repeating a failed or cancelled one."""

    async def work(client: ClusterGenieClient) -> t.Job:
        job = await client.retry_job(job_id)
        output.message(f"job {job.id} queued (retry of {job_id})")
        return (await wait_for_jobs(client, [job], wait_timeout))[0] if wait else job

    show(ctx, call(ctx, work), columns.JOB)
