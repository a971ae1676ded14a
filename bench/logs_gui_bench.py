"""`python -m bench.logs_gui_bench [--minutes M] [--rate R]`: the desktop Logs panel while the
tail runs at R lines/s (default 5,000) with its graphs updating: frame time (target: median
under 16 ms, worst under 50 ms) and the GUI's memory after M minutes (default 1; the issue's
figure is --minutes 10).

A real server runs as a child; this process (no Qt here) sends it R lines/s over IngestLogs for
the whole run; the GUI children run offscreen (bench/logs_gui_scenario.py): first ours (the app
on the Logs panel, `{}`), then the reference (a bare PlotWidget over a bare QTableView fed the
same rate locally) for as long, under the same load (the server ingesting, this process
sending), so the machine is as busy for both.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bench.children import BENCH_TOKEN, ChildFailed, bench_channel, spawn
from bench.gui_bench import progress, run_child
from bench.logs_bench import _lines
from bench.report import Row, format_table
from bench.server_child import READY_PREFIX
from clustergenie_server.api.v1 import logs_pb2 as pb

BATCHES_PER_SECOND = 20  # an agent's flush interval of 50 ms
DISTINCT_BATCHES = 200  # serialized once, sent round and round (10 s of distinct lines)


def _batches(rate: int) -> list[bytes]:
    """DISTINCT_BATCHES serialized IngestLogsRequests of rate / BATCHES_PER_SECOND lines each,
    stamped by the server on arrival (time 0), over 30 droplets in two levels."""
    per_batch = max(1, rate // BATCHES_PER_SECOND)
    lines = _lines(per_batch * DISTINCT_BATCHES, seed=7)
    out = []
    for b in range(DISTINCT_BATCHES):
        request = pb.IngestLogsRequest(batch_id=b)
        for labels, text in lines[b * per_batch : (b + 1) * per_batch]:
            request.entries.add(labels=labels, line=text)
        out.append(request.SerializeToString())
    return out


class Sender:
    """Sends `rate` lines/s to a server over one IngestLogs stream until stopped."""

    def __init__(self, address: str, rate: int) -> None:
        self._address, self._rate = address, rate
        self._batches = _batches(rate)
        self._stop = asyncio.Event()
        self.accepted = 0
        self.started = 0.0
        self.ended = 0.0

    async def run(self) -> None:
        """Send until stop(); count what the server acked."""
        channel = bench_channel(self._address)
        ingest = channel.stream_stream(
            "/clustergenie.v1.LogService/IngestLogs",
            request_serializer=None,
            response_deserializer=pb.IngestLogsAck.FromString,
        )

        async def requests() -> AsyncIterator[bytes]:
            self.started = next_at = time.perf_counter()
            i = 0
            while not self._stop.is_set():
                yield self._batches[i % len(self._batches)]
                i += 1
                next_at += 1 / BATCHES_PER_SECOND
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            self.ended = time.perf_counter()

        try:
            async for ack in ingest(requests()):
                self.accepted += ack.accepted
        finally:
            await channel.close(None)

    def stop(self) -> None:
        """End the stream after the batch in flight."""
        self._stop.set()

    def rate(self) -> float:
        """Lines/s the server acked over the run."""
        return self.accepted / max(1e-9, (self.ended or time.perf_counter()) - self.started)


async def measure(
    minutes: float, rate: int, tmp: Path, profile: Path | None = None
) -> tuple[dict[str, Any], ...]:
    """(ours, reference, sender figures) of one run."""
    seconds = minutes * 60
    token_file = tmp / "token"
    token_file.write_text(BENCH_TOKEN)
    server_args = [
        "--listen", "127.0.0.1:0", "--database-url", f"sqlite:///{tmp / 'logs.db'}",
        "--time-scale", "1", "--failure-rate", "0", "--log-level", "WARNING",
    ]  # fmt: skip
    async with spawn("bench.server_child", server_args, READY_PREFIX, tmp / "server.log") as srv:
        sender = Sender(srv.address, rate)
        sending = asyncio.create_task(sender.run())
        try:
            progress(f"logs GUI: ours, the Logs panel tailing {rate:,} lines/s for {minutes:g} min")
            ours = await run_child(
                "bench.logs_gui_scenario",
                ["--server", srv.address, "--token-file", str(token_file),
                 "--seconds", f"{seconds:g}",
                 *(["--profile", str(profile)] if profile else [])],
                tmp / "ours.log",
            )  # fmt: skip
            progress(f"logs GUI: the reference (bare plot + bare table) for {minutes:g} min")
            bare = await run_child(
                "bench.logs_gui_scenario",
                ["--reference", "--seconds", f"{seconds:g}", "--rate", str(rate)],
                tmp / "reference.log",
            )
        finally:
            sender.stop()
            await sending
    return ours, bare, {"acked_per_second": sender.rate()}


def rows(ours: dict[str, Any], bare: dict[str, Any], sent: dict[str, Any]) -> list[Row]:
    """The figures beside the reference's."""
    ref = "bare PlotWidget + bare QTableView, same rate"
    minutes = ours["seconds"] / 60
    shown = f"Logs panel tailing {ours['lines_per_second']:,.0f} lines/s + live graphs"
    return [
        Row(f"GUI frame time, median ({shown}; target < 16)", ours["frame_median"],
            bare["frame_median"], "ms", ref),
        Row(f"GUI frame time, worst ({ours['frames']} frames, {ours['frames_over_50']} over "
            f"50 ms; target < 50)", ours["frame_worst"], bare["frame_worst"], "ms", ref),
        Row("GUI frame time, p99", ours["frame_p99"], bare["frame_p99"], "ms", ref),
        Row(f"GUI frame CPU time, worst (the Qt thread's own work; the worst frame's: "
            f"{ours['frame_worst_own_cpu']:.0f} ms)", ours["frame_worst_cpu"],
            bare["frame_worst_cpu"], "ms", ref),
        Row("GUI process CPU, share of one core", 100 * ours["cpu_share"],
            100 * bare["cpu_share"], "%", ref),
        Row("Qt thread longest stall (60 Hz timer lateness)", ours["stall_worst"],
            bare["stall_worst"], "ms", ref),
        Row(f"RSS of the GUI after {minutes:.1f} min (first sample "
            f"{ours['rss_samples'][0]:.0f} MB)", ours["rss_gui"], bare["rss_gui"], "MB", ref),
        Row("lines/s the server acked (sender)", sent["acked_per_second"], None, "lines/s"),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.logs_gui_bench", description=__doc__)
    parser.add_argument("--minutes", type=float, default=1.0, help="recorded minutes (10: the "
                        "issue's figure)")  # fmt: skip
    parser.add_argument("--rate", type=int, default=5000, help="lines/s sent (default 5,000)")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of our GUI child here")
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.rate <= 0:
        print("bench: --minutes and --rate must be positive", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="cg-logs-gui-bench-") as tmp:
            ours, bare, sent = asyncio.run(
                measure(args.minutes, args.rate, Path(tmp), args.profile and args.profile.resolve())
            )
    except (ChildFailed, TimeoutError) as exc:
        print(f"bench: {exc or 'a figure did not finish in time'}", file=sys.stderr)
        return 1
    load = os.getloadavg()
    header = (
        f"Logs panel bench: {args.rate:,} lines/s for {args.minutes:g} min, {os.cpu_count()} "
        f"CPUs, load average {load[0]:.1f} at the end, Python {platform.python_version()}\n"
        "ours: frames slowest (wall, Qt CPU, process CPU, run-queue wait, GC ms; sleeps, "
        f"major faults) {ours['frames_slowest']}; "
        f"RSS samples {ours['rss_samples']}\n"
    )
    print(format_table(rows(ours, bare, sent), header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
