"""`python -m bench.server_child [--profile FILE] FLAGS`: the real server, maybe profiled.

Everything but --profile goes to `clustergenie_server`'s own main(), so the bench measures exactly
what people run; the child also stops when the bench closes its stdin.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import sys

from clustergenie_server.__main__ import READY_PREFIX
from clustergenie_server.__main__ import main as server_main

__all__ = ["READY_PREFIX", "main"]


def main(argv: list[str] | None = None) -> int:
    """Parse --profile, hand every other flag to the server's main, serve until told to stop."""
    parser = argparse.ArgumentParser(prog="bench.server_child")
    parser.add_argument("--profile", metavar="FILE", help="write cProfile stats of the server here")
    ours, rest = parser.parse_known_args(argv)
    profiler = cProfile.Profile() if ours.profile else None
    with profiler or contextlib.nullcontext():
        code = server_main([*rest, "--exit-with-stdin"])
    if profiler is not None:
        profiler.dump_stats(ours.profile)
    return code


if __name__ == "__main__":
    sys.exit(main())
