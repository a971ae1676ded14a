"""`python -m bench.streams`: only the streaming figures, on a server holding N provision jobs.

The full bench takes minutes; this provisions N droplets (default 1,000: a full WatchJobs
snapshot) on a fresh server, then measures the stream figures exactly as `python -m bench` does.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from bench import provision_bench
from bench.database import bench_database
from bench.job_watch import JobWatch
from bench.report import Row, format_table
from bench.runner import Options, Stubs, progress, stream_rows, with_servers

DEFAULT_DROPLETS = 1000  # WatchJobs' snapshot maximum: every call replays 1,000 jobs
QUICK_DROPLETS = 20


async def _measure(options: Options, stubs: Stubs, watch: JobWatch) -> list[Row]:
    progress(f"provisioning {options.droplets} droplets")
    result = await provision_bench.provision_round(stubs.ours, watch, options.droplets, "stream")
    return await stream_rows(options, stubs, [result])


async def _run(options: Options) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="clustergenie-stream-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with bench_database(options.database_url, tmp) as (url, _):
            return await with_servers(options, tmp, url, _measure)


def main(argv: list[str] | None = None) -> int:
    """Run the stream figures and print their table."""
    parser = argparse.ArgumentParser(prog="python -m bench.streams", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short measurements, 20 droplets")
    parser.add_argument("--droplets", type=int, metavar="N", help="droplets (jobs) to provision")
    parser.add_argument("--database-url", metavar="URL", help="as python -m bench's")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="cProfile of the server")
    args = parser.parse_args(argv)
    options = Options(
        droplets=args.droplets or (QUICK_DROPLETS if args.quick else DEFAULT_DROPLETS),
        quick=args.quick,
        database_url=args.database_url,
        time_scale=60.0,
        job_workers=None,
        profile=args.profile.resolve() if args.profile else None,
    )
    print(format_table(asyncio.run(_run(options))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
