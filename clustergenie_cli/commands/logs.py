"""`clustergenie-ctl logs tail|search`: the simulated droplets' logs, by LogQL-style query."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated

import typer

from clustergenie_cli import output
from clustergenie_cli.invocation import call, options, show
from clustergenie_gui.client import logs_types as lt
from clustergenie_gui.client.client import ClusterGenieClient
from clustergenie_gui.client.logs_client import LogsClient

app = typer.Typer(help="Logs: follow a query live, or search a window.", no_args_is_help=True)

Query = Annotated[
    str,
    typer.Argument(
        help='LogQL-style, e.g. \'{cluster="web", level="error"} |= "timeout"\'',
        show_default=False,
    ),
]
Since = Annotated[
    float,
    typer.Option(metavar="SECONDS", help="how far back (simulated seconds before now)"),
]
LINE: tuple[output.Column, ...] = (
    ("Time", lambda r: _when(r.t)),
    ("Labels", lambda r: _labels(r.labels)),
    ("Line", lambda r: r.line),
)


def _when(t: float) -> str:
    return datetime.fromtimestamp(t).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _labels(labels: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def _write(item: lt.LogRow | lt.GapRow, as_json: bool) -> None:
    """One line of a stream: a JSON object per line for scripts, else time, labels, line."""
    if isinstance(item, lt.GapRow):
        if as_json:
            body = {"gap": {"t": item.t, "missed": item.missed, "reason": item.reason}}
            sys.stdout.write(json.dumps(body) + "\n")
        else:
            output.message(f"… {item.missed} line(s) missed ({item.reason})")
        return
    if as_json:
        record = {"t": item.t, "labels": dict(item.labels), "line": item.line}
        sys.stdout.write(json.dumps(record) + "\n")
    else:
        sys.stdout.write(f"{_when(item.t)}  {_labels(item.labels)}  {item.line}\n")
    sys.stdout.flush()


@app.command("tail")
def tail(
    ctx: typer.Context,
    query: Query,
    since: Since = 300.0,
    limit: Annotated[int, typer.Option(help="at most this many lines of the replay")] = 200,
    follow: Annotated[
        bool, typer.Option("--follow/--no-follow", help="keep printing new lines (Ctrl-C stops)")
    ] = True,
) -> None:
    """Print the newest lines of a query, then follow it live (`-o json`: JSON Lines)."""
    as_json = options(ctx).output != "table"

    async def work(client: ClusterGenieClient) -> None:
        logs = LogsClient(client)
        start = await logs.now() - since if since > 0 else 0.0
        async for batch in logs.tail(query, start, limit):
            for item in batch:
                if isinstance(item, lt.ReplayComplete):
                    if not follow:
                        return
                else:
                    _write(item, as_json)

    try:
        call(ctx, work)
    except KeyboardInterrupt:
        output.message("stopped")


@app.command("search")
def search(
    ctx: typer.Context,
    query: Query,
    since: Since = 3600.0,
    limit: Annotated[int, typer.Option(help="at most this many lines")] = 100,
) -> None:
    """Lines of the last --since seconds that match, newest first."""
    show(ctx, call(ctx, lambda c: search_lines(c, query, since, limit)), LINE)


async def search_lines(
    client: ClusterGenieClient, query: str, since: float, limit: int
) -> list[lt.LogRow]:
    """At most limit lines of the last `since` simulated seconds that match, newest first."""
    logs = LogsClient(client)
    end = await logs.now()
    found: list[lt.LogRow] = []
    async for page in logs.search(query, end - since, end, limit):
        found.extend(page)
        if len(found) >= limit:
            break
    return found[:limit]
