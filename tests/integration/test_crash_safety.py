"""Crash safety: SIGKILL the real server at seeded random points while it provisions and scales;
the restarted server must converge to a consistent state without losing or repeating work."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from dataclasses import dataclass, field

import grpc
import pytest
from grpc import aio

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import (
    jobs_pb2,
    jobs_pb2_grpc,
    provisioning_pb2_grpc,
    scaling_pb2,
    scaling_pb2_grpc,
)
from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.db import Database
from tests.auth_support import authed_channel

from .conftest import FINAL, SpawnServer

SEED = 20240605
KILLS = 6
CONVERGE_SECONDS = 90.0
# Fast enough that kills land in every step of provisioning and scaling, slow enough that a
# job spans several kill points.
SERVER_FLAGS = (
    "--time-scale",
    "40",
    "--failure-rate",
    "0",
    "--seed",
    "7",
    "--listen",
    "127.0.0.1:0",
)
TRANSITIONAL = {common.DROPLET_STATUS_NEW, common.DROPLET_STATUS_UNSPECIFIED}


@dataclass
class Acked:
    """What the servers acknowledged before they were killed."""

    droplets: dict[int, int] = field(default_factory=dict)  # droplet id -> cluster id
    clusters: set[int] = field(default_factory=set)
    jobs: set[int] = field(default_factory=set)
    scales: dict[int, int] = field(default_factory=dict)  # scale job id -> target
    refused: Counter[str] = field(default_factory=Counter)


class Client:
    """Stubs on one channel to one server incarnation."""

    def __init__(self, channel: aio.Channel) -> None:
        self.provisioning = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        self.jobs = jobs_pb2_grpc.JobServiceStub(channel)
        self.scaling = scaling_pb2_grpc.ScalingServiceStub(channel)


async def keep_acting(client: Client, rng: random.Random, acked: Acked, round_no: int) -> None:
    """Create clusters and scale earlier ones until the server dies under us."""
    for i in range(1000):
        try:
            if acked.clusters and rng.random() < 0.4:
                cluster_id = rng.choice(sorted(acked.clusters))
                target = rng.randint(1, 5)
                reply = await client.scaling.ScaleCluster(
                    scaling_pb2.ScaleClusterRequest(cluster_id=cluster_id, target_count=target),
                    timeout=10,
                )
                acked.jobs.add(reply.job.id)
                acked.scales[reply.job.id] = target
            else:
                created = await client.provisioning.CreateCluster(
                    pb.CreateClusterRequest(
                        name=f"crash-{round_no}-{i}",
                        region="nyc1",
                        size="s-1vcpu-1gb",
                        image="ubuntu-24-04-x64",
                        droplet_count=rng.randint(1, 3),
                    ),
                    timeout=10,
                )
                acked.clusters.add(created.cluster.id)
                acked.droplets.update({d.id: created.cluster.id for d in created.droplets})
                acked.jobs.update(j.id for j in created.jobs)
        except aio.AioRpcError as error:
            acked.refused[error.code().name] += 1
            if error.code() is grpc.StatusCode.UNAVAILABLE:
                return  # killed
        await asyncio.sleep(rng.uniform(0.0, 0.15))  # spread requests over the job steps


async def all_jobs(client: Client) -> list[jobs_pb2.Job]:
    """Every job (the test makes far fewer than the limit)."""
    return list((await client.jobs.ListJobs(jobs_pb2.ListJobsRequest(limit=1000))).jobs)


async def wait_converged(client: Client) -> list[jobs_pb2.Job]:
    """Poll until every job is final; fail with the stuck ones after the deadline."""
    jobs: list[jobs_pb2.Job] = []
    try:
        async with asyncio.timeout(CONVERGE_SECONDS):
            while True:
                jobs = await all_jobs(client)
                if all(j.state in FINAL for j in jobs):
                    return jobs
                await asyncio.sleep(0.2)
    except TimeoutError:
        stuck = [(j.id, j.kind, j.state, j.step) for j in jobs if j.state not in FINAL]
        raise AssertionError(f"jobs never finished after the restarts: {stuck}") from None


def check_consistent(jobs: list[jobs_pb2.Job], droplets: list[pb.Droplet], acked: Acked) -> None:
    """The invariants a crash must never break."""
    by_id = {j.id: j for j in jobs}
    assert acked.jobs <= by_id.keys(), f"acknowledged jobs lost: {acked.jobs - by_id.keys()}"
    known = {d.id: d for d in droplets}
    lost = [d for d in acked.droplets if d not in known]
    assert not lost, f"acknowledged droplets lost: {lost}"
    # Scale-downs destroy droplets, but only through a destroy job that succeeded.
    destroyed = {j.droplet_id for j in jobs if j.kind == common.JOB_KIND_DESTROY_DROPLET}
    vanished = [
        d.id
        for d in droplets
        if d.status == common.DROPLET_STATUS_ARCHIVE and d.id not in destroyed
    ]
    assert not vanished, f"droplets archived without a destroy job: {vanished}"
    stuck = [(d.id, d.name, d.status) for d in droplets if d.locked or d.status in TRANSITIONAL]
    assert not stuck, f"droplets stuck in a transitional state: {stuck}"
    assert all(j.state == common.JOB_STATE_SUCCEEDED for j in jobs), [
        (j.id, j.kind, j.state, j.error) for j in jobs if j.state != common.JOB_STATE_SUCCEEDED
    ]
    # A crash resumes a job at its step: it must not cost an attempt nor create a second job.
    assert all(j.attempt == 1 for j in jobs), [(j.id, j.attempt) for j in jobs if j.attempt != 1]
    provisions = Counter(j.droplet_id for j in jobs if j.kind == common.JOB_KIND_PROVISION_DROPLET)
    assert max(provisions.values(), default=1) == 1, provisions.most_common(3)
    # A resumed scale job re-reads the cluster: it never adds or removes a droplet twice.
    last_scale = {
        j.cluster_id: j
        for j in sorted(jobs, key=lambda j: j.id)
        if j.kind == common.JOB_KIND_SCALE_CLUSTER
    }
    for cluster_id, job in last_scale.items():
        size = sum(
            d.cluster_id == cluster_id and d.status != common.DROPLET_STATUS_ARCHIVE
            for d in droplets
        )
        assert size == acked.scales.get(job.id, size), (cluster_id, job.id, size)
    names = Counter((d.cluster_id, d.name) for d in droplets)
    assert max(names.values(), default=1) == 1, names.most_common(3)


@pytest.mark.slow
async def test_killed_server_restarts_into_a_consistent_state(
    spawn_server: SpawnServer, database: Database, database_url: str
) -> None:
    rng = random.Random(SEED)
    acked = Acked()
    for round_no in range(KILLS):
        server = spawn_server("--database-url", database_url, *SERVER_FLAGS)
        async with authed_channel(server.address) as channel:
            actor = asyncio.create_task(keep_acting(Client(channel), rng, acked, round_no))
            await asyncio.sleep(rng.uniform(0.2, 1.2))  # the seeded random kill point
            server.process.kill()
            server.process.wait(timeout=10)
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(actor, timeout=15)

    server = spawn_server("--database-url", database_url, *SERVER_FLAGS)
    async with authed_channel(server.address) as channel:
        client = Client(channel)
        jobs = await wait_converged(client)
        request = pb.ListDropletsRequest(include_destroyed=True)
        droplets = list((await client.provisioning.ListDroplets(request)).droplets)
    check_consistent(jobs, droplets, acked)
    kinds = Counter(common.JobKind.Name(j.kind) for j in jobs)
    print(  # noqa: T201 - the issue asks each scenario to print what it counted
        f"crash safety: {KILLS} kills, {len(acked.clusters)} clusters and {len(acked.jobs)} jobs "
        f"acknowledged, {len(jobs)} jobs in all ({dict(kinds)}), {len(droplets)} droplets "
        f"({sum(d.status == common.DROPLET_STATUS_ACTIVE for d in droplets)} active), "
        f"refused calls {dict(acked.refused)}"
    )
