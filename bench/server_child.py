"""`python -m bench.server_child FLAGS`: the real server, wired by build_server, in its own process.

The bench runs the server here rather than through `python -m clustergenie_server` so that it
can add what only a benchmark needs (an optional cProfile dump) and announce its address with
its own READY line; the wiring, settings and flags are the server's own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import signal
import sys

from clustergenie_server.app import build_server
from clustergenie_server.logging_setup import configure_logging
from clustergenie_server.settings import Settings, load_settings

READY_PREFIX = "BENCH_SERVER_READY"


async def stdin_closed() -> None:
    """Return when the bench closes our stdin (or dies): a child must never outlive it."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.read(4096):
        pass


async def serve(settings: Settings) -> None:
    """Serve until SIGTERM or stdin closes, then stop gracefully."""
    app = await build_server(settings)
    await app.start()
    sys.stdout.write(f"{READY_PREFIX} {app.address}\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    watchers = [asyncio.create_task(stop.wait()), asyncio.create_task(stdin_closed())]
    await asyncio.wait(watchers, return_when=asyncio.FIRST_COMPLETED)
    for task in watchers:
        task.cancel()
    await app.stop()


def main(argv: list[str] | None = None) -> int:
    """Parse --profile, hand every other flag to the server's own settings loader, serve."""
    parser = argparse.ArgumentParser(prog="bench.server_child")
    parser.add_argument("--profile", metavar="FILE", help="write cProfile stats of the server here")
    ours, rest = parser.parse_known_args(argv)
    settings = load_settings(rest)
    configure_logging(settings.log_level)
    profiler = cProfile.Profile() if ours.profile else None
    with profiler or contextlib.nullcontext():
        asyncio.run(serve(settings))
    if profiler is not None:
        profiler.dump_stats(ours.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
