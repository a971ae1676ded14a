"""The clustergenie-ctl command line: global options, and the one place verb groups register.

A new verb group is a module in commands/ with its own `app`, added below with one line.
"""

from __future__ import annotations

import enum
import sys
from dataclasses import replace
from typing import Annotated

import typer

from clustergenie_cli import exit_codes
from clustergenie_cli.commands import (
    catalog,
    check,
    cluster,
    context,
    demo,
    diagnose,
    droplet,
    fault,
    identity,
    job,
    logs,
    mcp,
    scale,
)
from clustergenie_cli.connection import CliFailure, Options


class OutputFormat(enum.StrEnum):
    """--output: an aligned table for people, JSON or YAML for scripts."""

    TABLE = "table"
    JSON = "json"
    YAML = "yaml"


HELP = (
    "Manage ClusterGenie's simulated clusters, droplets, jobs, scaling and faults.\n\n"
    "The server and token come from --server/--token-file, CLUSTERGENIE_SERVER and "
    "CLUSTERGENIE_TOKEN(_FILE), the current context (`context use`), the desktop app's "
    "bundled server while it runs (for the same user), or else 127.0.0.1:50051 "
    "with the token a local clustergenie-server generated. Streams (job watch) run until "
    "their jobs finish or Ctrl-C; every other call has the --timeout deadline."
)

app = typer.Typer(
    name="clustergenie-ctl",
    help=HELP,
    epilog="Exit codes:\n\n" + exit_codes.help_text(),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cluster.app, name="cluster")
app.add_typer(droplet.app, name="droplet")
app.add_typer(job.app, name="job")
app.add_typer(scale.app, name="scale")
app.add_typer(fault.app, name="fault")
app.add_typer(context.app, name="context")
app.add_typer(catalog.app, name="catalog")
app.add_typer(check.app, name="check")
app.add_typer(logs.app, name="logs")
app.add_typer(demo.app, name="demo")
app.command("diagnose")(diagnose.diagnose)
app.command("timeline")(diagnose.timeline)
app.command("whoami")(identity.whoami)
app.command("audit")(identity.audit)
app.command("version")(identity.version)
app.command("mcp")(mcp.mcp)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    server: Annotated[
        str | None,
        typer.Option(metavar="HOST:PORT", envvar="CLUSTERGENIE_SERVER", help="server address"),
    ] = None,
    token_file: Annotated[
        str | None,
        typer.Option(
            metavar="FILE", envvar="CLUSTERGENIE_TOKEN_FILE", help="file holding the token"
        ),
    ] = None,
    tls_ca: Annotated[
        str | None,
        typer.Option(metavar="FILE", envvar="CLUSTERGENIE_TLS_CA", help="PEM CA to trust (TLS)"),
    ] = None,
    context_name: Annotated[
        str | None,
        typer.Option(
            "--context", metavar="NAME", envvar="CLUSTERGENIE_CONTEXT", help="use this context"
        ),
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--output", "-o", envvar="CLUSTERGENIE_OUTPUT", help="output format"),
    ] = OutputFormat.TABLE,
    no_header: Annotated[
        bool, typer.Option("--no-header", help="tables without their header")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            min=0.1, metavar="SECONDS", envvar="CLUSTERGENIE_TIMEOUT", help="deadline of each call"
        ),
    ] = 10.0,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="print this client's version and, if reachable, the server's"
        ),
    ] = False,
) -> None:
    """Global options (before the verb)."""
    ctx.obj = Options(server, token_file, tls_ca, context_name, output.value, no_header, timeout)
    if version:
        # The server's version when it answers quickly; the client's alone otherwise.
        ctx.obj = replace(ctx.obj, timeout=min(timeout, 2.0))
        identity.version(ctx, client_only=False)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit()


# Options of the root that may also follow the verb (`cluster list -o json`), as in doctl.
# Only those no verb defines itself: `context add` has its own --server and --token-file.
_ANYWHERE_WITH_VALUE = frozenset({"-o", "--output", "--timeout", "--context"})
_ANYWHERE_FLAGS = frozenset({"--no-header"})


def hoist_global_options(argv: list[str]) -> list[str]:
    """argv with the output options found after the verb moved in front of it (before `--`)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if arg in _ANYWHERE_FLAGS or (name in _ANYWHERE_WITH_VALUE and "=" in arg):
            front.append(arg)
        elif arg in _ANYWHERE_WITH_VALUE and i + 1 < len(argv):
            front.extend(argv[i : i + 2])
            i += 1
        elif arg.startswith("-o") and len(arg) > 2 and not arg.startswith("--"):
            front.append(arg)  # -ojson
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main(argv: list[str] | None = None) -> int:
    """Run the command line; exits with its code (returns it when argv is given, for tests)."""
    args = hoist_global_options(sys.argv[1:] if argv is None else argv)
    try:
        app(args=args, prog_name="clustergenie-ctl")  # usage errors: click's message, exit 2
    except CliFailure as failure:
        sys.stderr.write(f"Error: {failure.message}\n")
        code = int(failure.code)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    else:
        code = 0
    if argv is None:
        sys.exit(code)
    return code
