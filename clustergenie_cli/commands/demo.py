"""`clustergenie-ctl demo status|pause|resume|skip`: follow and steer a server's --demo story."""

from __future__ import annotations

import typer

from clustergenie_cli import output
from clustergenie_cli.invocation import call, show
from clustergenie_gui.client.client import ClusterGenieClient
from clustergenie_gui.client.demo_client import DemoClient
from clustergenie_gui.client.demo_types import DemoState

app = typer.Typer(help="The scripted demo of a server started with --demo.", no_args_is_help=True)

STATE: tuple[output.Column, ...] = (
    ("Step", lambda s: f"{s.step}/{s.step_count}" if s.running else "no demo"),
    ("Title", lambda s: s.title),
    ("Next", lambda s: s.next_title),
    ("In s", lambda s: round(s.seconds_to_next)),
    ("Paused", lambda s: s.paused),
    ("Reached", lambda s: [m.name for m in s.milestones if m.reached]),
)


def _show(ctx: typer.Context, state: DemoState) -> None:
    show(ctx, state, STATE)


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Where the story is, what comes next, and the milestones reached."""
    _show(ctx, call(ctx, lambda c: DemoClient(c).get()))


@app.command("pause")
def pause(ctx: typer.Context) -> None:
    """Hold the countdown to the next step (operator)."""
    _show(ctx, call(ctx, lambda c: DemoClient(c).pause(True)))


@app.command("resume")
def resume(ctx: typer.Context) -> None:
    """Let the countdown run again (operator)."""
    _show(ctx, call(ctx, lambda c: DemoClient(c).pause(False)))


@app.command("skip")
def skip(ctx: typer.Context) -> None:
    """Start the next step now (operator)."""

    async def work(client: ClusterGenieClient) -> DemoState:
        return await DemoClient(client).skip()

    _show(ctx, call(ctx, work))
