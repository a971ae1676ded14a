"""Load: N concurrent clients each hold WatchJobs, WatchInventory and WatchMetrics while droplets
are provisioned and tick; prints errors (must be 0), the server's peak RSS and stream lag."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grpc import aio

from bench.children import Child, bench_channel, spawn
from bench.job_watch import JobWatch
from bench.provision_bench import IMAGE, REGION, SIZE
from bench.report import Row, percentile
from bench.rpc_bench import RPC_DEADLINE_SECONDS
from bench.server_child import READY_PREFIX
from clustergenie_server.api.v1 import (
    jobs_pb2,
    jobs_pb2_grpc,
    provisioning_pb2,
    provisioning_pb2_grpc,
    telemetry_pb2,
    telemetry_pb2_grpc,
)

MAX_PER_REQUEST = 50  # CreateCluster's own limit
RUN = uuid.uuid4().hex[
    :6
]  # cluster names are unique among live clusters; the database may be reused
TICK_SECONDS = {True: 2.0, False: 10.0}  # after provisioning: streams follow the ticks this long


@dataclass
class Tally:
    """What all clients received."""

    messages: int = 0
    errors: list[str] = field(default_factory=list)
    job_lag: list[float] = field(default_factory=list)  # seconds from updated_at to receipt


async def _follow(call: aio.UnaryStreamCall[Any, Any], tally: Tally, lag: bool) -> None:
    """Read a stream until cancelled; a job's lag is counted once the snapshot is over."""
    live = False
    try:
        async for message in call:
            tally.messages += 1
            if not lag:
                continue
            if message.HasField("snapshot_complete"):
                live = True
            elif live and message.job.HasField("updated_at"):
                tally.job_lag.append(time.time() - message.job.updated_at.ToMicroseconds() / 1e6)
    except aio.AioRpcError as error:
        if not call.cancelled():
            tally.errors.append(f"{error.code().name}: {error.details()}")
    except asyncio.CancelledError:
        if not call.cancelled():  # grpc raises this when we cancel the call: the normal end
            raise


async def _client(address: str, cluster_id: int, tally: Tally, stop: asyncio.Event) -> None:
    """One client on its own channel with its three streams."""
    async with bench_channel(address) as channel:
        calls: list[aio.UnaryStreamCall[Any, Any]] = [
            jobs_pb2_grpc.JobServiceStub(channel).WatchJobs(jobs_pb2.WatchJobsRequest()),
            provisioning_pb2_grpc.ProvisioningServiceStub(channel).WatchInventory(
                provisioning_pb2.WatchInventoryRequest()
            ),
            telemetry_pb2_grpc.TelemetryServiceStub(channel).WatchMetrics(
                telemetry_pb2.WatchMetricsRequest(cluster_id=cluster_id, include_droplets=True)
            ),
        ]
        readers = [asyncio.create_task(_follow(c, tally, lag=i == 0)) for i, c in enumerate(calls)]
        await stop.wait()
        for call in calls:
            call.cancel()
        await asyncio.gather(*readers)


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a Linux process, in MiB; 0 where /proc has none."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _provision(channel: aio.Channel, droplets: int, watch: JobWatch) -> None:
    """Create clusters totalling `droplets` and wait until every provisioning job is final."""
    stub = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
    job_ids: list[int] = []
    for n, start in enumerate(range(0, droplets, MAX_PER_REQUEST)):
        created = await stub.CreateCluster(
            provisioning_pb2.CreateClusterRequest(
                name=f"load-{RUN}-{n}",
                region=REGION,
                size=SIZE,
                image=IMAGE,
                droplet_count=min(MAX_PER_REQUEST, droplets - start),
            ),
            timeout=RPC_DEADLINE_SECONDS,
        )
        job_ids += [j.id for j in created.jobs]
    async with asyncio.timeout(600):
        await watch.wait_final(job_ids)


async def _first_cluster(channel: aio.Channel) -> int:
    """An empty cluster for the metric streams to open on before provisioning starts."""
    created = await provisioning_pb2_grpc.ProvisioningServiceStub(channel).CreateCluster(
        provisioning_pb2.CreateClusterRequest(
            name=f"load-{RUN}-watch", region=REGION, size=SIZE, image=IMAGE, droplet_count=0
        ),
        timeout=RPC_DEADLINE_SECONDS,
    )
    return created.cluster.id


async def _measure(server: Child, clients: int, droplets: int, quick: bool) -> list[Row]:
    tally, stop = Tally(), asyncio.Event()
    async with bench_channel(server.address) as channel:
        watch = JobWatch(jobs_pb2_grpc.JobServiceStub(channel))
        await watch.start()
        try:
            cluster_id = await _first_cluster(channel)
            started = time.monotonic()
            tasks = [
                asyncio.create_task(_client(server.address, cluster_id, tally, stop))
                for _ in range(clients)
            ]
            await _provision(channel, droplets, watch)
            await asyncio.sleep(TICK_SECONDS[quick])  # the droplets tick; streams follow
            stop.set()
            await asyncio.gather(*tasks)
            elapsed = time.monotonic() - started
        finally:
            await watch.stop()
    rss = peak_rss_mb(server.process.pid)
    lag = sorted(tally.job_lag)
    label = f"{clients} clients x 3 streams, {droplets} droplets"
    for error in tally.errors[:5]:
        print(f"bench: load stream error: {error}", file=sys.stderr)
    return [
        Row(f"load ({label}): stream errors", len(tally.errors), 0, "errors", "must be 0"),
        Row(f"load ({label}): server peak RSS", rss, None, "MiB"),
        Row(f"load ({label}): job stream lag p50", percentile(lag, 0.5) * 1000, None, "ms"),
        Row(f"load ({label}): job stream lag p99", percentile(lag, 0.99) * 1000, None, "ms"),
        Row(f"load ({label}): messages received", tally.messages / elapsed, None, "msg/s"),
    ]


async def rows(
    server_args: list[str],
    log_path: Path,
    env: Mapping[str, str],
    *,
    clients: int,
    droplets: int,
    quick: bool,
) -> list[Row]:
    """Start a fresh server child (so its peak RSS is this figure's alone) and load it."""
    async with spawn("bench.server_child", server_args, READY_PREFIX, log_path, env) as server:
        return await _measure(server, clients, droplets, quick)
