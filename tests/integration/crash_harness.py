"""The crash harness: SIGKILL servers at seeded random points during a mixed workload, restart
them, and check that no acknowledged job was lost, none ran twice, every droplet ends in a state
its jobs explain and no lock is left held.

Used by tests/integration/test_crash_safety.py (one server) and test_crash_harness.py (two
servers on MariaDB + Redis + Kafka). The kill points are the scenario, drawn from the printed
seed; everything the harness waits for is a condition (a server's READY line, every job final).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import grpc
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
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.models import Job, JobState
from tests.auth_support import authed_channel

from .conftest import FINAL, ServerProcess
from .fleet_checks import cluster_unexplained, describe, unexplained

CONVERGE_SECONDS = 120.0  # after the last restart, every job is final within this
SIZES = ("s-1vcpu-2gb", "s-2vcpu-4gb")


@dataclass
class Acked:
    """What the servers acknowledged (answered OK) before any of them was killed."""

    clusters: set[int] = field(default_factory=set)
    droplets: dict[int, int] = field(default_factory=dict)  # droplet id -> cluster id
    jobs: set[int] = field(default_factory=set)
    refused: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)  # calls that ended in INTERNAL or UNKNOWN
    scales: dict[int, int] = field(default_factory=dict)  # scale job id -> target

    def note(self, reply: object) -> None:
        """Remember the clusters, droplets and jobs of a reply."""
        if isinstance(reply, pb.ClusterActionResponse):
            self.clusters.add(reply.cluster.id)
            self.droplets.update({d.id: d.cluster_id for d in reply.droplets})
            self.jobs.update(j.id for j in reply.jobs)
        elif isinstance(reply, (pb.DropletActionResponse, scaling_pb2.ScaleClusterResponse)):
            self.jobs.add(reply.job.id)
        elif isinstance(reply, jobs_pb2.Job):
            self.jobs.add(reply.id)


@dataclass
class Figures:
    """What one harness run did and checked."""

    seed: int
    kills: int = 0
    restarts: int = 0
    jobs: int = 0
    acked_jobs: int = 0
    droplets: int = 0
    takeovers: int = 0
    sizes: int = 0  # clusters whose size after a resumed scale was judged
    kinds: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        """The figures as one printed line."""
        return (
            f"crash harness seed {self.seed}: {self.kills} kills survived ({self.restarts} "
            f"restarts), {self.jobs} jobs checked ({self.acked_jobs} acknowledged while servers "
            f"died, {self.takeovers} taken over from a killed server), {self.droplets} droplets, "
            f"{self.sizes} scaled sizes; "
            f"{dict(self.kinds)}"
        )


class Client:
    """Stubs on one channel to one server incarnation."""

    def __init__(self, channel: aio.Channel) -> None:
        self.channel = channel
        self.provisioning = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        self.jobs = jobs_pb2_grpc.JobServiceStub(channel)
        self.scaling = scaling_pb2_grpc.ScalingServiceStub(channel)


async def act_once(client: Client, rng: random.Random, acked: Acked, n: int) -> None:
    """One random action of the mixed workload; raises AioRpcError when refused."""
    p, clusters = client.provisioning, sorted(acked.clusters)
    droplets = sorted(acked.droplets)
    roll = rng.random()
    if not clusters or roll < 0.22:
        request = pb.CreateClusterRequest(
            name=f"crash-{n}",
            region="nyc1",
            size="s-1vcpu-1gb",
            image="ubuntu-24-04-x64",
            droplet_count=rng.randint(1, 3),
        )
        acked.note(await p.CreateCluster(request, timeout=10))
    elif roll < 0.34:
        request_s = scaling_pb2.ScaleClusterRequest(
            cluster_id=rng.choice(clusters), target_count=rng.randint(1, 4)
        )
        scaled = await client.scaling.ScaleCluster(request_s, timeout=10)
        acked.note(scaled)
        acked.scales[scaled.job.id] = request_s.target_count
    elif roll < 0.42:
        request_a = pb.AddDropletsRequest(cluster_id=rng.choice(clusters), count=rng.randint(1, 2))
        acked.note(await p.AddDroplets(request_a, timeout=10))
    elif roll < 0.75 and droplets:
        droplet_id = rng.choice(droplets)
        action = rng.choice(("RebootDroplet", "PowerOffDroplet", "PowerOnDroplet", "Resize"))
        if action == "Resize":
            resize = pb.ResizeDropletRequest(id=droplet_id, size=rng.choice(SIZES))
            acked.note(await p.ResizeDroplet(resize, timeout=10))
        else:
            call = getattr(p, action)
            acked.note(await call(pb.DropletRequest(id=droplet_id), timeout=10))
    elif roll < 0.82 and droplets:
        destroy = pb.DropletRequest(id=rng.choice(droplets))
        acked.note(await p.DestroyDroplet(destroy, timeout=10))
    elif roll < 0.92 and acked.jobs:
        job_id = rng.choice(sorted(acked.jobs)[-6:])  # a recent one: likely still running
        await client.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=job_id), timeout=10)
    elif roll < 0.96 and acked.jobs:
        retry = jobs_pb2.RetryJobRequest(id=rng.choice(sorted(acked.jobs)))
        acked.note(await client.jobs.RetryJob(retry, timeout=10))
    else:
        delete = pb.DeleteClusterRequest(id=rng.choice(clusters))
        acked.note(await p.DeleteCluster(delete, timeout=10))


async def keep_acting(
    clients: Callable[[], Sequence[Client]], rng: random.Random, acked: Acked, stop: asyncio.Event
) -> None:
    """Act through a random live server until stopped; a refusal is counted, never fatal."""
    n = 0
    while not stop.is_set():
        live = clients()
        if not live:
            await asyncio.sleep(0.05)  # every server is being restarted: wait for one
            continue
        n += 1
        try:
            await act_once(rng.choice(live), rng, acked, n)
        except aio.AioRpcError as error:
            acked.refused[error.code().name] += 1
            if error.code() in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN):
                acked.broken.append(f"{error.code().name}: {error.details()}")
        await asyncio.sleep(rng.uniform(0.0, 0.08))  # spread requests over the job steps


async def follow_owners(
    db: Database, owners: dict[tuple[int, int], set[int]], stop: asyncio.Event
) -> None:
    """Record which process holds each running job attempt's lease (the database's view)."""
    while not stop.is_set():
        running: list[Job] = await db.run(
            lambda s: JobRepository(s).list(states=[JobState.RUNNING], limit=1000)
        )
        for job in running:
            if job.lease_owner:
                owners.setdefault((job.id, job.attempt), set()).add(
                    int(job.lease_owner.split(":")[1])
                )
        await asyncio.sleep(0.02)  # a sampling period, not a wait


class Fleet:
    """The servers of a run: started, killed and restarted on command."""

    def __init__(self, spawn: Callable[[], ServerProcess], count: int) -> None:
        self._spawn = spawn
        self.servers: list[ServerProcess | None] = [None] * count
        self.clients: list[Client | None] = [None] * count
        self.killed_pids: set[int] = set()
        self._dead: list[Client] = []  # closed at the end: closing one cancels calls in flight

    def live(self) -> list[Client]:
        """Clients of the servers that are up."""
        return [c for c in self.clients if c is not None]

    async def start(self, index: int) -> None:
        """Start server index (its READY line is the wait)."""
        server = await asyncio.to_thread(self._spawn)
        self.servers[index] = server
        self.clients[index] = Client(authed_channel(server.address))

    async def kill(self, index: int) -> None:
        """SIGKILL server index: no shutdown, its leases are left to expire or be recovered."""
        server, client = self.servers[index], self.clients[index]
        assert server is not None
        assert client is not None
        self.clients[index] = None
        server.process.kill()
        await asyncio.to_thread(server.process.wait, 10)
        self.killed_pids.add(server.process.pid)
        self._dead.append(client)  # its calls in flight end UNAVAILABLE, as a client sees it

    async def close(self) -> None:
        """Close every channel (the spawn fixture kills the processes)."""
        for client in [*self.live(), *self._dead]:
            await client.channel.close(None)


async def all_jobs(client: Client) -> list[jobs_pb2.Job]:
    """Every job, listed cluster by cluster (a long run makes more than ListJobs' 1,000)."""
    request = pb.ListClustersRequest(include_deleted=True)
    clusters = (await client.provisioning.ListClusters(request)).clusters
    jobs: list[jobs_pb2.Job] = []
    for cluster in clusters:
        listed = await client.jobs.ListJobs(
            jobs_pb2.ListJobsRequest(cluster_id=cluster.id, limit=1000)
        )
        assert len(listed.jobs) < 1000, f"cluster {cluster.name} has too many jobs to list"
        jobs += listed.jobs
    return jobs


async def wait_converged(client: Client) -> list[jobs_pb2.Job]:
    """Every job, once all are final; fails with the stuck ones after the deadline."""
    jobs: list[jobs_pb2.Job] = []
    deadline = time.monotonic() + CONVERGE_SECONDS
    while True:
        jobs = await all_jobs(client)
        if all(j.state in FINAL for j in jobs):
            return jobs
        stuck = [describe(j) + f" ({j.step})" for j in jobs if j.state not in FINAL]
        assert time.monotonic() < deadline, f"jobs never finished after the restarts: {stuck}"
        await asyncio.sleep(0.1)  # polling the server: every job final is what is waited for


async def run_harness(
    spawn: Callable[[], ServerProcess],
    db: Database,
    *,
    servers: int,
    kills: int,
    seed: int,
) -> Figures:
    """Kill and restart servers `kills` times under load, then check; returns the figures."""
    rng, acked, figures = random.Random(seed), Acked(), Figures(seed)
    print(f"\ncrash harness: seed {seed}, {servers} server(s), {kills} kills")  # noqa: T201
    fleet = Fleet(spawn, servers)
    owners: dict[tuple[int, int], set[int]] = {}
    stop = asyncio.Event()
    try:
        for index in range(servers):
            await fleet.start(index)
        sampler = asyncio.create_task(follow_owners(db, owners, stop))
        actor = asyncio.create_task(keep_acting(fleet.live, rng, acked, stop))
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(0.3, 1.5))  # the seeded random kill point
            victim = rng.randrange(servers)
            await fleet.kill(victim)
            figures.kills += 1
            if rng.random() < 0.5:  # sometimes the others run alone for a while
                await asyncio.sleep(rng.uniform(0.0, 1.0))
            await fleet.start(victim)
            figures.restarts += 1
        stop.set()
        await actor
        await sampler
        client = fleet.live()[0]
        jobs = await wait_converged(client)
        request = pb.ListDropletsRequest(include_destroyed=True)
        droplets = list((await client.provisioning.ListDroplets(request)).droplets)
        clusters = {
            c.id: c
            for c in (
                await client.provisioning.ListClusters(pb.ListClustersRequest(include_deleted=True))
            ).clusters
        }
        stored = await db.run(lambda s: JobRepository(s).list(limit=100_000))
    finally:
        stop.set()
        await fleet.close()
    figures.sizes = check(jobs, droplets, clusters, stored, acked, owners, fleet.killed_pids)
    figures.jobs, figures.acked_jobs, figures.droplets = len(jobs), len(acked.jobs), len(droplets)
    figures.takeovers = sum(len(pids) > 1 for pids in owners.values())
    figures.kinds = Counter(
        common.JobKind.Name(j.kind).removeprefix("JOB_KIND_").lower() for j in jobs
    )
    print(figures.line())  # noqa: T201 - the figures go in docs/RELIABILITY.md
    return figures


def check(
    jobs: list[jobs_pb2.Job],
    droplets: list[pb.Droplet],
    clusters: dict[int, pb.Cluster],
    stored: list[Job],
    acked: Acked,
    owners: dict[tuple[int, int], set[int]],
    killed: set[int],
) -> int:
    """The invariants no crash may break; returns how many scaled cluster sizes it judged."""
    assert not acked.broken, f"calls ended in INTERNAL or UNKNOWN: {acked.broken}"
    by_id = {j.id: j for j in jobs}
    assert acked.jobs <= by_id.keys(), f"acknowledged jobs lost: {acked.jobs - by_id.keys()}"
    lost = sorted(set(acked.droplets) - {d.id for d in droplets})
    assert not lost, f"acknowledged droplets lost: {lost}"
    # None ran twice: of one attempt's owners, at most one was alive (a takeover follows a kill).
    doubled = {key: pids for key, pids in owners.items() if len(pids - killed) > 1}
    assert not doubled, f"job attempts run by two live servers at once: {doubled}"
    # A crash resumes a job at its step: it costs no attempt (no provision fails here).
    assert all(j.attempt == 1 for j in jobs), [describe(j) for j in jobs if j.attempt != 1]
    # No lock left held: no droplet locked, no lease on a finished job.
    locked = [d.name for d in droplets if d.locked]
    assert not locked, f"droplets left locked: {locked}"
    leased = [j.id for j in stored if j.state.is_final and j.lease_owner]
    assert not leased, f"finished jobs still leased: {leased}"
    for droplet in droplets:
        own = sorted((j for j in jobs if j.droplet_id == droplet.id), key=lambda j: j.id)
        cluster_jobs = [j for j in jobs if j.cluster_id == droplet.cluster_id and not j.droplet_id]
        why = unexplained(droplet, own, cluster_jobs)
        history = ", ".join(describe(j) for j in own + cluster_jobs)
        assert why is None, f"droplet {droplet.name}: {why} (jobs: {history})"
    for cluster in clusters.values():
        why = cluster_unexplained(cluster, [j for j in jobs if j.cluster_id == cluster.id])
        assert why is None, why
    # One provision per droplet, unless a person retried it; one droplet per name in a cluster.
    provisions = Counter(
        j.droplet_id for j in jobs if j.kind == common.JOB_KIND_PROVISION_DROPLET and not j.retry_of
    )
    assert max(provisions.values(), default=1) == 1, provisions.most_common(3)
    names = Counter((d.cluster_id, d.name) for d in droplets)
    assert max(names.values(), default=1) == 1, names.most_common(3)
    return check_scaled_sizes(jobs, droplets, acked)


def check_scaled_sizes(jobs: list[jobs_pb2.Job], droplets: list[pb.Droplet], acked: Acked) -> int:
    """A resumed scale job re-reads the cluster: it never adds or removes a droplet twice.

    Judged where nothing else acted: every acknowledged job of the cluster is a provision that
    succeeded or a scale, and the last of them is a scale that succeeded. Returns how many
    clusters it judged.
    """
    checked = 0
    for cluster_id in {j.cluster_id for j in jobs if j.id in acked.scales}:
        mine = sorted(
            (j for j in jobs if j.cluster_id == cluster_id and j.id in acked.jobs),
            key=lambda j: j.id,
        )
        quiet = all(
            j.id in acked.scales
            or (
                j.kind == common.JOB_KIND_PROVISION_DROPLET
                and j.state == common.JOB_STATE_SUCCEEDED
            )
            for j in mine
        )
        last = mine[-1]
        if not quiet or last.id not in acked.scales or last.state != common.JOB_STATE_SUCCEEDED:
            continue
        active = sum(
            d.cluster_id == cluster_id and d.status == common.DROPLET_STATUS_ACTIVE
            for d in droplets
        )
        assert active == acked.scales[last.id], (cluster_id, describe(last), active)
        checked += 1
    return checked
