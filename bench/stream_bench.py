"""Server-streaming rate: WatchJobs messages per second, ours beside the bare grpc.aio server."""

from __future__ import annotations

import time

from bench.job_watch import STREAM_DEADLINE_SECONDS
from bench.report import median
from clustergenie_server.api.v1 import jobs_pb2, jobs_pb2_grpc


async def stream_rate(stub: jobs_pb2_grpc.JobServiceStub, limit: int) -> tuple[float, int]:
    """(messages/s, messages) of one WatchJobs call read until its snapshot_complete marker."""
    received = 0
    began = time.perf_counter()
    call = stub.WatchJobs(
        jobs_pb2.WatchJobsRequest(snapshot_limit=limit), timeout=STREAM_DEADLINE_SECONDS
    )
    async for update in call:
        if update.HasField("snapshot_complete"):
            break
        received += 1
    elapsed = time.perf_counter() - began
    call.cancel()  # the real server's stream goes on with live updates; we are done with it
    return received / elapsed, received


async def median_stream_rate(
    stub: jobs_pb2_grpc.JobServiceStub, limit: int, rounds: int
) -> tuple[float, int]:
    """Median messages/s over rounds (after one warm-up call), and the messages per call."""
    await stream_rate(stub, limit)
    results = [await stream_rate(stub, limit) for _ in range(rounds)]
    return median([rate for rate, _ in results]), results[-1][1]
