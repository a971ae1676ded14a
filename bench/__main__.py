"""`python -m bench` (or `./setup.sh bench`): every figure beside a reference from the same run."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
from pathlib import Path

import grpc

from bench import bus_bench, gui_bench
from bench.children import ChildFailed
from bench.database import DatabaseInUse
from bench.report import format_table
from bench.runner import Options, run

DEFAULT_DROPLETS = 200
QUICK_DROPLETS = 20
GUI_DROPLETS = 1000  # the desktop scenario
DEFAULT_CLIENTS = 50
QUICK_CLIENTS = 5


def build_parser() -> argparse.ArgumentParser:
    """The bench's command line."""
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the ClusterGenie server (in a child process) against a bare "
        "grpc.aio server and a plain SQLAlchemy bulk insert, on 127.0.0.1 only.",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help=f"a few seconds: short rounds, one repetition, {QUICK_DROPLETS} droplets",
    )
    p.add_argument(
        "--droplets",
        type=int,
        metavar="N",
        help=f"droplets to provision (default {DEFAULT_DROPLETS}; the target is 1000)",
    )
    p.add_argument(
        "--database-url",
        metavar="URL",
        help="default: a fresh SQLite file; for MariaDB "
        "mysql+pymysql://root@127.0.0.1:3306/DB, a database the bench creates "
        "and drops (it refuses one that exists)",
    )
    p.add_argument(
        "--time-scale",
        type=float,
        default=60.0,
        metavar="X",
        help="simulation speed-up of the server (default 60)",
    )
    p.add_argument(
        "--job-workers",
        type=int,
        metavar="N",
        help="jobs the server runs at once (default: the server's own, 64)",
    )
    p.add_argument(
        "--clients",
        type=int,
        metavar="N",
        help=f"load figure: concurrent clients, each holding job, inventory and metric "
        f"streams (default {DEFAULT_CLIENTS}; --quick {QUICK_CLIENTS})",
    )
    p.add_argument(
        "--kafka",
        action="store_true",
        help="also measure the Kafka event bus on a tansu broker the bench starts",
    )
    p.add_argument(
        "--kafka-bootstrap",
        metavar="HOST:PORT",
        help="also measure the Kafka event bus on this broker (fresh topics)",
    )
    p.add_argument(
        "--no-gui",
        action="store_true",
        help="skip the desktop figures (start, frame time, memory; offscreen children)",
    )
    p.add_argument(
        "--gui-droplets",
        type=int,
        metavar="N",
        help=f"droplets of the desktop scenario (default {GUI_DROPLETS}; --quick {QUICK_DROPLETS})",
    )
    p.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="write cProfile stats of the server process to FILE",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the table."""
    args = build_parser().parse_args(argv)
    droplets = args.droplets or (QUICK_DROPLETS if args.quick else DEFAULT_DROPLETS)
    clients = args.clients or (QUICK_CLIENTS if args.quick else DEFAULT_CLIENTS)
    if droplets < 1 or args.time_scale <= 0 or (args.job_workers or 1) < 1 or clients < 1:
        print(
            "bench: --droplets, --time-scale, --job-workers and --clients must be positive",
            file=sys.stderr,
        )
        return 2
    options = Options(
        droplets=droplets,
        quick=args.quick,
        database_url=args.database_url,
        time_scale=args.time_scale,
        job_workers=args.job_workers,
        profile=args.profile.resolve() if args.profile else None,
        clients=clients,
    )
    try:
        rows, backend = asyncio.run(run(options))
        rows += asyncio.run(
            bus_bench.bus_rows(
                quick=args.quick, kafka_bootstrap=args.kafka_bootstrap, start_broker=args.kafka
            )
        )
        if not args.no_gui:
            gui_droplets = args.gui_droplets or (QUICK_DROPLETS if args.quick else GUI_DROPLETS)
            with tempfile.TemporaryDirectory(prefix="clustergenie-gui-bench-") as tmp:
                rows += asyncio.run(
                    gui_bench.rows(Path(tmp), quick=args.quick, droplets=gui_droplets)
                )
    except (ChildFailed, DatabaseInUse, TimeoutError) as exc:
        print(f"bench: {exc or 'a figure did not finish in time'}", file=sys.stderr)
        return 1
    header = (
        f"ClusterGenie bench: {backend}, time scale {args.time_scale:g}, "
        f"{droplets} droplets, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"grpcio {grpc.__version__}{', quick' if args.quick else ''}\n"
        "ratio = ours / reference: for rates higher is better, for ms and s lower is\n"
    )
    print(format_table(rows, header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
