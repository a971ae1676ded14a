"""`clustergenie-server`: the headless server; also what the desktop app starts as its child."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from clustergenie_server.app import AuthSetupError, ListenError, build_server
from clustergenie_server.db import redacted_url
from clustergenie_server.domain.errors import Unavailable
from clustergenie_server.logging_setup import configure_logging
from clustergenie_server.security.tokens import TokenFileError
from clustergenie_server.services.ops.metrics_endpoint import EndpointError
from clustergenie_server.settings import (
    Settings,
    SettingsError,
    build_parser,
    file_problems,
    settings_from_args,
)
from clustergenie_server.token_sources import prepare_tokens
from clustergenie_server.version import runtime_versions

log = logging.getLogger("clustergenie_server")

READY_PREFIX = "CLUSTERGENIE_READY"
# With --issue-token, this line (then READY) goes to the parent over the private stdout pipe.
TOKEN_PREFIX = "CLUSTERGENIE_TOKEN"


async def stdin_closed() -> None:
    """Returns when standard input reaches end of file (the parent process went away)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.read(4096):
        pass


async def serve(settings: Settings) -> None:
    """Run until SIGTERM/SIGINT (or stdin closing, when asked), then stop gracefully."""
    settings, issued = prepare_tokens(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows has no add_signal_handler
            loop.add_signal_handler(sig, stop.set)

    delay = 1.0
    while True:
        try:
            app = await build_server(settings)
            break
        except Unavailable as exc:
            # A database that is not up yet (a container starting beside us) is waited for.
            log.warning("%s; retrying in %.0fs", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if stop.is_set():
                return
            delay = min(delay * 2, 30.0)

    await app.start()
    log.info("serving on %s with database %s", app.address, redacted_url(settings.database_url))
    # The handshake the desktop app (and scripts) wait for: the only lines written to stdout.
    if issued is not None:
        sys.stdout.write(f"{TOKEN_PREFIX} {issued}\n")
    sys.stdout.write(f"{READY_PREFIX} {app.address}\n")
    sys.stdout.flush()
    watchers: list[asyncio.Task[object]] = [asyncio.create_task(stop.wait())]
    if settings.exit_with_stdin:
        watchers.append(asyncio.create_task(stdin_closed()))
    await asyncio.wait(watchers, return_when=asyncio.FIRST_COMPLETED)
    for task in watchers:
        task.cancel()
    log.info("shutting down")
    await app.stop()
    log.info("stopped")


def version_text() -> str:
    """What --version prints: the server's version and the libraries it serves with."""
    v = runtime_versions()
    return (
        f"clustergenie-server {v['clustergenie']}\n"
        f"grpcio {v['grpcio']}, protobuf {v['protobuf']}, Python {v['python']}\n"
    )


def check_config(args: argparse.Namespace) -> int:
    """--check-config: 0 and a summary when the settings are usable, else 2 and every problem."""
    try:
        settings = settings_from_args(args)
        problems = file_problems(settings)
    except SettingsError as exc:
        problems = exc.problems
    if problems:
        sys.stderr.write(f"clustergenie-server: {len(problems)} problem(s) in the configuration:\n")
        sys.stderr.writelines(f"  - {problem}\n" for problem in problems)
        return 2
    sys.stdout.write(
        f"configuration OK: listen {settings.listen}, database "
        f"{redacted_url(settings.database_url)}, metrics "
        f"{settings.metrics_listen or 'off'}\n"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of clustergenie-server."""
    args = build_parser().parse_args(argv)
    if args.version:
        sys.stdout.write(version_text())
        return 0
    if args.check_config:
        return check_config(args)
    try:
        settings = settings_from_args(args)
    except SettingsError as exc:
        sys.stderr.write(f"clustergenie-server: {exc}\n")
        return 2
    configure_logging(settings.log_level)
    try:
        asyncio.run(serve(settings))
    except (ListenError, AuthSetupError, TokenFileError, EndpointError) as exc:
        log.error("%s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
