"""Two server processes on one MariaDB database and one Kafka broker share jobs and events."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import (
    jobs_pb2,
    jobs_pb2_grpc,
    provisioning_pb2_grpc,
    scaling_pb2,
    scaling_pb2_grpc,
)
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.db.models import Base
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.models import Job, JobState
from tests.auth_support import authed_channel

from .conftest import FINAL, ServerProcess, SpawnServer
from .test_provisioning_rpc import create_request

pytestmark = [pytest.mark.slow, pytest.mark.mysql]


@pytest.fixture
def shared_db(mysql_url: str) -> Iterator[Database]:
    """The session's MariaDB database, migrated and emptied, for the servers to share."""
    db = Database.connect(mysql_url)
    db.migrate()

    def delete_all(session: Session) -> None:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())

    db.run_sync(delete_all)
    yield db
    db.close()


def start(spawn_server: SpawnServer, url: str, kafka: str, time_scale: str) -> ServerProcess:
    """A server on a free port, on the shared database and broker."""
    return spawn_server(
        "--listen", "127.0.0.1:0", "--database-url", url, "--kafka-bootstrap", kafka,
        "--time-scale", time_scale, "--failure-rate", "0", "--seed", "3",
    )  # fmt: skip


def pid_of(owner: str | None) -> int | None:
    """The process id in a lease owner (host:pid:random)."""
    return int(owner.split(":")[1]) if owner else None


class Watch:
    """A WatchJobs stream's latest view of every job."""

    def __init__(self, address: str) -> None:
        self.channel = authed_channel(address)
        self.latest: dict[int, jobs_pb2.Job] = {}
        self._task = asyncio.create_task(self._follow())

    async def _follow(self) -> None:
        stub = jobs_pb2_grpc.JobServiceStub(self.channel)
        async for update in stub.WatchJobs(jobs_pb2.WatchJobsRequest()):
            if update.HasField("job"):
                self.latest[update.job.id] = update.job

    def final(self, ids: set[int]) -> bool:
        """True when the stream has shown every one of ids in a final state."""
        return all(i in self.latest and self.latest[i].state in FINAL for i in ids)

    async def close(self) -> None:
        """End the stream."""
        self._task.cancel()
        await self.channel.close(None)


async def follow_owners(db: Database, owners: dict[int, set[int]], stop: asyncio.Event) -> None:
    """Record which process holds each running job's lease (the DB's view of who runs what)."""
    while not stop.is_set():
        running: list[Job] = await db.run(
            lambda s: JobRepository(s).list(states=[JobState.RUNNING], limit=1000)
        )
        for job in running:
            if (pid := pid_of(job.lease_owner)) is not None:
                owners.setdefault(job.id, set()).add(pid)
        await asyncio.sleep(0.02)


async def test_two_servers_run_200_jobs_exactly_once(
    spawn_server: SpawnServer, shared_db: Database, mysql_url: str, kafka_bootstrap: str
) -> None:
    a = start(spawn_server, mysql_url, kafka_bootstrap, "50")
    b = start(spawn_server, mysql_url, kafka_bootstrap, "50")
    watch = Watch(a.address)  # a GUI on server A
    owners: dict[int, set[int]] = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(follow_owners(shared_db, owners, stop))
    try:
        async with authed_channel(a.address) as channel:
            provisioning = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
            ids: set[int] = set()
            for n in range(4):
                created = await provisioning.CreateCluster(create_request(f"fleet-{n}", 50))
                ids |= {j.id for j in created.jobs}
            async with asyncio.timeout(120):
                while not watch.final(ids):  # noqa: ASYNC110 (the stream fills it)
                    await asyncio.sleep(0.05)
    finally:
        stop.set()
        await sampler
        await watch.close()

    jobs = await shared_db.run(lambda s: JobRepository(s).list(limit=1000))
    assert len(ids) == 200
    assert {j.id for j in jobs} == ids
    assert {(j.state, j.attempt) for j in jobs} == {(JobState.SUCCEEDED, 1)}
    assert not [j.id for j in jobs if j.step.startswith("Resuming")]  # nobody took one over
    assert all(len(pids) == 1 for pids in owners.values())  # each job claimed once
    ran_by_b = {job_id for job_id, pids in owners.items() if b.process.pid in pids}
    ran_by_a = {job_id for job_id, pids in owners.items() if a.process.pid in pids}
    assert ran_by_a
    assert ran_by_b  # ... and A's stream showed them all finished
    assert {watch.latest[i].state for i in ran_by_b} == {common.JOB_STATE_SUCCEEDED}


async def test_a_killed_servers_job_is_finished_by_the_other(
    spawn_server: SpawnServer,
    shared_db: Database,
    mysql_url: str,
    kafka_bootstrap: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLUSTERGENIE_JOB_LEASE_SECONDS", "3")
    a = start(spawn_server, mysql_url, kafka_bootstrap, "2")  # a provision takes 4 s
    b = start(spawn_server, mysql_url, kafka_bootstrap, "2")
    servers = {a.process.pid: a, b.process.pid: b}
    async with authed_channel(b.address) as channel:
        provisioning = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        created = await provisioning.CreateCluster(create_request("victim", 4))
    ids = {j.id for j in created.jobs}

    async def one_running() -> tuple[int, int]:
        # Whichever server woke first may have claimed every job (one claim fills all free
        # workers): the victim is the server that runs one.
        while True:
            running = await shared_db.run(
                lambda s: JobRepository(s).list(states=[JobState.RUNNING])
            )
            for j in running:
                if (pid := pid_of(j.lease_owner)) in servers:
                    return j.id, pid
            await asyncio.sleep(0.05)

    async with asyncio.timeout(30):
        victim, killed = await one_running()
    survivor = next(server for pid, server in servers.items() if pid != killed)
    watch = Watch(survivor.address)  # a GUI on the server that stays
    try:
        servers[killed].process.kill()  # SIGKILL: no shutdown, the lease is left to expire
        async with asyncio.timeout(60):
            while not watch.final(ids):  # noqa: ASYNC110 (the stream fills it)
                await asyncio.sleep(0.05)
    finally:
        await watch.close()

    job = await shared_db.run(lambda s: JobRepository(s).get(victim))
    assert job is not None
    assert job.state is JobState.SUCCEEDED
    assert job.step_index == job.step_count - 1  # resumed, then ran to its last step
    assert watch.latest[victim].state == common.JOB_STATE_SUCCEEDED


async def decisions_seen(address: str, cluster_id: int, into: list[int]) -> None:
    """Record the ids of a cluster's scaling decisions a WatchDecisions stream shows."""
    async with authed_channel(address) as channel:
        stub = scaling_pb2_grpc.ScalingServiceStub(channel)
        request = scaling_pb2.WatchDecisionsRequest(cluster_id=cluster_id)
        async for update in stub.WatchDecisions(request):
            if update.HasField("decision"):
                into.append(update.decision.id)


async def stored_decisions(db: Database, cluster_id: int) -> list[int]:
    """Ids of the cluster's decisions in the database."""
    return await db.run(
        lambda s: [d.id for d in ScalingRepository(s).list_decisions(cluster_id=cluster_id)]
    )


async def test_each_servers_decision_stream_shows_every_servers_decisions(
    spawn_server: SpawnServer, shared_db: Database, mysql_url: str, kafka_bootstrap: str
) -> None:
    # One controller leads each cluster (a lock); a GUI on either server must see its decisions.
    a = start(spawn_server, mysql_url, kafka_bootstrap, "50")
    b = start(spawn_server, mysql_url, kafka_bootstrap, "50")
    async with authed_channel(a.address) as channel:
        provisioning = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        created = await provisioning.CreateCluster(create_request("scaled", 2))
        cluster_id = created.cluster.id
        seen: dict[str, list[int]] = {a.address: [], b.address: []}
        watches = [
            asyncio.create_task(decisions_seen(addr, cluster_id, ids)) for addr, ids in seen.items()
        ]
        try:
            await scaling_pb2_grpc.ScalingServiceStub(channel).SetPolicy(
                scaling_pb2.SetPolicyRequest(
                    policy=scaling_pb2.ScalingPolicy(
                        cluster_id=cluster_id, metric=scaling_pb2.SCALING_METRIC_CPU, target=60,
                        min_droplets=1, max_droplets=4, enabled=True,
                    )
                )
            )  # fmt: skip
            # The first five decisions stored, whichever server made them, reach both streams
            # (a decision made on the other server comes through Kafka, a moment later).
            async with asyncio.timeout(60):
                while True:
                    first_five = set(sorted(await stored_decisions(shared_db, cluster_id))[:5])
                    if len(first_five) == 5 and all(first_five <= set(i) for i in seen.values()):
                        break
                    await asyncio.sleep(0.1)
        finally:
            for task in watches:
                task.cancel()
            await asyncio.gather(*watches, return_exceptions=True)

    assert all(len(ids) == len(set(ids)) for ids in seen.values())  # none shown twice
