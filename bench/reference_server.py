"""`python -m bench.reference_server --canned DIR`: a bare grpc.aio server answering from memory.

It implements the benchmarked methods with no interceptor, no database and no event bus, and
returns the very messages the real server returned (captured by the bench into DIR), so the
difference between the two is what ClusterGenie adds on top of grpc.aio itself.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from google.protobuf.message import Message
from grpc import aio

from clustergenie_server.__main__ import stdin_closed
from clustergenie_server.api.v1 import (
    jobs_pb2,
    jobs_pb2_grpc,
    provisioning_pb2,
    provisioning_pb2_grpc,
    telemetry_pb2,
    telemetry_pb2_grpc,
)
from clustergenie_server.rpc.aio_types import Context

READY_PREFIX = "BENCH_REFERENCE_READY"
CANNED_FILES = {
    "droplet": "droplet.bin",
    "cluster_action": "cluster_action.bin",
    "job_update": "job_update.bin",
    # Written by the stream figures after provisioning, long after this server started.
    "metrics_updates": "metrics_updates.bin",
}
DEFAULT_STREAM_COUNT = 1000


class ReferenceProvisioning(provisioning_pb2_grpc.ProvisioningServiceServicer):
    """GetDroplet and CreateCluster answered with canned messages."""

    def __init__(
        self, droplet: provisioning_pb2.Droplet, action: provisioning_pb2.ClusterActionResponse
    ) -> None:
        self._droplet, self._action = droplet, action

    async def GetDroplet(
        self, request: provisioning_pb2.GetDropletRequest, context: Context
    ) -> provisioning_pb2.Droplet:
        return self._droplet

    async def CreateCluster(
        self, request: provisioning_pb2.CreateClusterRequest, context: Context
    ) -> provisioning_pb2.ClusterActionResponse:
        return self._action


class ReferenceJobs(jobs_pb2_grpc.JobServiceServicer):
    """WatchJobs streams the canned update `snapshot_limit` times as fast as it can, then ends."""

    def __init__(self, update: jobs_pb2.JobUpdate) -> None:
        self._update = update

    async def WatchJobs(
        self, request: jobs_pb2.WatchJobsRequest, context: Context
    ) -> AsyncIterator[jobs_pb2.JobUpdate]:
        for _ in range(request.snapshot_limit or DEFAULT_STREAM_COUNT):
            yield self._update
        yield jobs_pb2.JobUpdate(snapshot_complete=True)


def write_delimited(path: Path, messages: Sequence[Message]) -> None:
    """Save messages in one file, each after its length (4 bytes, big-endian)."""
    path.write_bytes(
        b"".join(len(data).to_bytes(4, "big") + data for data in map(_serialize, messages))
    )


def _serialize(message: Message) -> bytes:
    return message.SerializeToString()


def read_updates(path: Path) -> list[telemetry_pb2.MetricsUpdate]:
    """The MetricsUpdate messages write_delimited saved."""
    data, updates, at = path.read_bytes(), [], 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        updates.append(telemetry_pb2.MetricsUpdate.FromString(data[at + 4 : at + 4 + size]))
        at += 4 + size
    return updates


class ReferenceTelemetry(telemetry_pb2_grpc.TelemetryServiceServicer):
    """WatchMetrics streams the canned backfill and its marker, then ends; it reads the file at
    its first call."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._updates: list[telemetry_pb2.MetricsUpdate] | None = None
        self._complete = telemetry_pb2.MetricsUpdate(backfill_complete=True)

    async def WatchMetrics(
        self, request: telemetry_pb2.WatchMetricsRequest, context: Context
    ) -> AsyncIterator[telemetry_pb2.MetricsUpdate]:
        if self._updates is None:
            self._updates = read_updates(self._path)
        for update in self._updates:
            yield update
        yield self._complete


async def serve(canned: Path) -> None:
    """Serve on a free loopback port until SIGTERM or stdin closes."""
    droplet = provisioning_pb2.Droplet.FromString((canned / CANNED_FILES["droplet"]).read_bytes())
    action = provisioning_pb2.ClusterActionResponse.FromString(
        (canned / CANNED_FILES["cluster_action"]).read_bytes()
    )
    update = jobs_pb2.JobUpdate.FromString((canned / CANNED_FILES["job_update"]).read_bytes())
    server = aio.server()
    # Partial servicers on purpose (a floor to compare with): the methods they leave out answer
    # UNIMPLEMENTED, as the generated base classes do at run time; their stubs call them abstract.
    provisioning_pb2_grpc.add_ProvisioningServiceServicer_to_server(
        ReferenceProvisioning(droplet, action),  # type: ignore[abstract]
        server,
    )
    jobs_pb2_grpc.add_JobServiceServicer_to_server(
        ReferenceJobs(update),  # type: ignore[abstract]
        server,
    )
    telemetry_pb2_grpc.add_TelemetryServiceServicer_to_server(
        ReferenceTelemetry(canned / CANNED_FILES["metrics_updates"]),  # type: ignore[abstract]
        server,
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{READY_PREFIX} 127.0.0.1:{port}\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    watchers = [asyncio.create_task(stop.wait()), asyncio.create_task(stdin_closed())]
    await asyncio.wait(watchers, return_when=asyncio.FIRST_COMPLETED)
    for task in watchers:
        task.cancel()
    await server.stop(1.0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the reference server."""
    parser = argparse.ArgumentParser(prog="bench.reference_server")
    parser.add_argument("--canned", type=Path, required=True, help="directory of canned messages")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.canned))
    return 0


if __name__ == "__main__":
    sys.exit(main())
