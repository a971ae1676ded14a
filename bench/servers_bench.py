"""Job throughput of one server beside two servers sharing the same database and queue."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench import server_child
from bench.children import bench_channel, spawn
from bench.report import Row
from clustergenie_server.api.v1 import common_pb2, jobs_pb2, jobs_pb2_grpc, provisioning_pb2_grpc
from clustergenie_server.api.v1 import provisioning_pb2 as pb

FINAL = [
    common_pb2.JOB_STATE_SUCCEEDED,
    common_pb2.JOB_STATE_FAILED,
    common_pb2.JOB_STATE_CANCELLED,
]
PER_REQUEST = 50  # the API's most droplets per CreateCluster
DEADLINE_SECONDS = 180.0


async def _queue(
    prov: provisioning_pb2_grpc.ProvisioningServiceStub, droplets: int, tag: str
) -> tuple[set[int], list[int]]:
    """Create clusters holding `droplets` droplets; returns the job ids and cluster ids."""
    job_ids: set[int] = set()
    clusters: list[int] = []
    for n, first in enumerate(range(0, droplets, PER_REQUEST)):
        count = min(PER_REQUEST, droplets - first)
        created = await prov.CreateCluster(
            pb.CreateClusterRequest(
                name=f"{tag}-{n}",
                region="nyc1",
                size="s-1vcpu-1gb",
                image="ubuntu-24-04-x64",
                droplet_count=count,
            ),
            timeout=30,
        )
        job_ids.update(j.id for j in created.jobs)
        clusters.append(created.cluster.id)
    return job_ids, clusters


async def _finished(
    jobs: jobs_pb2_grpc.JobServiceStub, job_ids: set[int], clusters: Sequence[int]
) -> int:
    """How many of job_ids are final; polled, since one server's stream may not see the other's
    jobs on the in-process bus."""
    done = 0
    for cluster_id in clusters:
        listed = await jobs.ListJobs(
            jobs_pb2.ListJobsRequest(cluster_id=cluster_id, states=FINAL, limit=1000), timeout=30
        )
        done += sum(1 for j in listed.jobs if j.id in job_ids)
    return done


async def throughput(
    args: Sequence[str], tmp: Path, env: Mapping[str, str], *, servers: int, droplets: int
) -> float:
    """Jobs finished per second of wall time with `servers` servers on one database."""
    tag = f"x{servers}-{uuid.uuid4().hex[:6]}"
    async with contextlib.AsyncExitStack() as stack:
        children = [
            await stack.enter_async_context(
                spawn(
                    "bench.server_child",
                    args,
                    server_child.READY_PREFIX,
                    tmp / f"servers-{tag}-{i}.log",
                    env,
                )
            )
            for i in range(servers)
        ]
        channel = await stack.enter_async_context(bench_channel(children[0].address))
        prov = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        jobs = jobs_pb2_grpc.JobServiceStub(channel)
        started = time.perf_counter()
        job_ids, clusters = await _queue(prov, droplets, tag)
        async with asyncio.timeout(DEADLINE_SECONDS):
            while await _finished(jobs, job_ids, clusters) < len(job_ids):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        return len(job_ids) / (time.perf_counter() - started)


async def rows(
    args: Sequence[str], tmp: Path, env: Mapping[str, str], *, droplets: int
) -> list[Row]:
    """The figure: two servers' job throughput beside one server's."""
    one = await throughput(args, tmp, env, servers=1, droplets=droplets)
    two = await throughput(args, tmp, env, servers=2, droplets=droplets)
    return [
        Row(
            f"jobs/s with 2 servers ({droplets} provisions)",
            two,
            one,
            "jobs/s",
            "1 server, same database",
        )
    ]
