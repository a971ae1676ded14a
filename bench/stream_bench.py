"""Server-streaming rates: ours beside the bare grpc.aio server streaming the same messages.

A single snapshot replay (up to 1,000 jobs) lasts only 50-100 ms, too short to measure against
HTTP/2 flow-control timing and a busy machine; so every measurement repeats calls until it has
lasted MEASURE_SECONDS, and ours and the reference alternate (as the unary figures do) so that
drift hits both alike. The figure is the median of the measurements.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from grpc import aio

from bench.job_watch import STREAM_DEADLINE_SECONDS
from bench.reference_server import CANNED_FILES, write_delimited
from bench.report import Row, median, percentile
from clustergenie_server.api.v1 import jobs_pb2, jobs_pb2_grpc, telemetry_pb2, telemetry_pb2_grpc

SNAPSHOT_LIMIT = 1000  # WatchJobs' own maximum
# What the Overview asks for: every cluster's aggregates, the last 10 simulated minutes.
OVERVIEW_BACKFILL_SECONDS = 600.0

Call = Callable[[], Awaitable[int]]  # one streaming call; returns the items it received


async def snapshot_call(stub: jobs_pb2_grpc.JobServiceStub, limit: int) -> int:
    """One WatchJobs call read until its snapshot_complete marker; the jobs received."""
    received = 0
    call = stub.WatchJobs(
        jobs_pb2.WatchJobsRequest(snapshot_limit=limit), timeout=STREAM_DEADLINE_SECONDS
    )
    async for update in call:
        if update.HasField("snapshot_complete"):
            break
        received += 1
    call.cancel()  # the real server's stream goes on with live updates; we are done with it
    return received


def overview_request() -> telemetry_pb2.WatchMetricsRequest:
    """The Overview's one metrics stream: every cluster's aggregates, with a backfill."""
    return telemetry_pb2.WatchMetricsRequest(backfill_seconds=OVERVIEW_BACKFILL_SECONDS)


async def backfill(
    stub: telemetry_pb2_grpc.TelemetryServiceStub,
) -> list[telemetry_pb2.MetricsUpdate]:
    """The updates of the Overview's stream until its backfill_complete marker (excluded)."""
    updates = []
    call = stub.WatchMetrics(overview_request(), timeout=STREAM_DEADLINE_SECONDS)
    async for update in call:
        if update.backfill_complete:
            break
        updates.append(update)
    call.cancel()  # the real server's stream goes on with live ticks; we are done with it
    return updates


async def backfill_call(stub: telemetry_pb2_grpc.TelemetryServiceStub) -> int:
    """One Overview WatchMetrics call read until its backfill has arrived; the samples in it."""
    return sum(len(update.samples) for update in await backfill(stub))


async def timed_rate(call: Call, seconds: float) -> float:
    """Items per second over back-to-back calls lasting at least `seconds` in all."""
    items = 0
    began = time.perf_counter()
    while (elapsed := time.perf_counter() - began) < seconds:
        items += await call()
    return items / elapsed


async def compare(ours: Call, reference: Call, rounds: int, seconds: float) -> tuple[float, float]:
    """Warm both up, then alternate measurements; the median rate of each."""
    await ours()
    await reference()
    rates: dict[str, list[float]] = {"ours": [], "reference": []}
    for _ in range(rounds):
        rates["ours"].append(await timed_rate(ours, seconds))
        rates["reference"].append(await timed_rate(reference, seconds))
    return median(rates["ours"]), median(rates["reference"])


async def rows(
    ours: aio.Channel,
    reference: aio.Channel,
    canned: Path,
    *,
    live_rate: float,
    live_lags: list[float],
    rounds: int,
    seconds: float,
) -> list[Row]:
    """Live WatchJobs updates while provisioning (their rate is what the jobs produce, so it has
    no bare reference; their delay is what a user waits), then ours beside the reference: the
    WatchJobs snapshot replay, the Overview's WatchMetrics backfill, and log streams."""
    our_jobs = jobs_pb2_grpc.JobServiceStub(ours)
    reference_jobs = jobs_pb2_grpc.JobServiceStub(reference)
    out = [
        Row(
            "WatchJobs live updates while provisioning (what the jobs produce)",
            live_rate,
            None,
            "msg/s",
        ),
        Row(
            "WatchJobs live update delay p50 (updated_at -> received)",
            percentile(live_lags, 0.5) * 1000,
            None,
            "ms",
        ),
        Row(
            "WatchJobs live update delay p99 (updated_at -> received)",
            percentile(live_lags, 0.99) * 1000,
            None,
            "ms",
        ),
    ]

    count = await snapshot_call(our_jobs, SNAPSHOT_LIMIT)
    our_rate, reference_rate = await compare(
        lambda: snapshot_call(our_jobs, SNAPSHOT_LIMIT),
        lambda: snapshot_call(reference_jobs, count),
        rounds,
        seconds,
    )
    out.append(Row(f"WatchJobs snapshot replay ({count} jobs)", our_rate, reference_rate, "msg/s"))

    our_telemetry = telemetry_pb2_grpc.TelemetryServiceStub(ours)
    reference_telemetry = telemetry_pb2_grpc.TelemetryServiceStub(reference)
    # The reference replays the very backfill ours sent (it reads the file at its first call).
    updates = await backfill(our_telemetry)
    write_delimited(canned / CANNED_FILES["metrics_updates"], updates)
    our_rate, reference_rate = await compare(
        lambda: backfill_call(our_telemetry),
        lambda: backfill_call(reference_telemetry),
        rounds,
        seconds,
    )
    out.append(
        Row(
            f"WatchMetrics backfill, every cluster "
            f"({sum(len(u.samples) for u in updates)} samples, {len(updates)} updates)",
            our_rate,
            reference_rate,
            "samples/s",
        )
    )
    out.append(Row("log streams: none yet (no Logs feature to stream)", None, None, "msg/s"))
    return out
