"""The Kafka broker stops answering under load, or is replaced by a new, empty one.

Two servers share one MariaDB database and the broker; a GUI watches jobs on server B while
work is queued through server A. In the first test the broker is frozen (SIGSTOP: its
connections stay open and nothing answers, as when a broker hangs or the network to it drops);
in the second it is killed and a new one, without any topic or offset, starts on its address
(tansu keeps everything in memory: that is what restarting it does). Calls still succeed (the
database is the truth; events wait in the outbox) and the jobs run. When a broker answers again,
what waited is published, and B's stream shows every job's end, without restarting ClusterGenie.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from clustergenie_server.api.v1 import provisioning_pb2_grpc
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.models import JobState
from tests.auth_support import authed_channel
from tests.kafka_broker import free_port, tansu_process

from .conftest import ServerProcess, SpawnServer
from .test_provisioning_rpc import create_request
from .test_servers_share_jobs import Watch, shared_db, start  # noqa: F401 - shared_db: fixture

pytestmark = [pytest.mark.slow, pytest.mark.mysql]


async def until_final(watch: Watch, ids: set[int], timeout: float) -> None:
    """Wait until the watch stream has shown every job of ids finished."""
    async with asyncio.timeout(timeout):
        while not watch.final(ids):  # noqa: ASYNC110 (the stream fills it)
            await asyncio.sleep(0.05)


async def until_succeeded(db: Database, ids: set[int]) -> None:
    """Wait until the database has every job of ids succeeded."""
    async with asyncio.timeout(90):
        while True:
            jobs = await db.run(lambda s: JobRepository(s).list(limit=1000))
            if all(j.state is JobState.SUCCEEDED for j in jobs if j.id in ids):
                return
            await asyncio.sleep(0.1)


async def assert_each_ran_once(db: Database, ids: set[int]) -> None:
    """The database holds exactly the jobs of ids, each succeeded at its first attempt."""
    jobs = await db.run(lambda s: JobRepository(s).list(limit=1000))
    assert {j.id for j in jobs} == ids
    assert {(j.state, j.attempt) for j in jobs} == {(JobState.SUCCEEDED, 1)}


async def create(address: str, name: str, count: int) -> set[int]:
    """Queue a cluster of count droplets through the server at address; its job ids."""
    async with authed_channel(address) as channel:
        stub = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        created = await stub.CreateCluster(create_request(name, count), timeout=10)
    return {j.id for j in created.jobs}


@asynccontextmanager
async def two_servers(
    spawn_server: SpawnServer, mysql_url: str, kafka: str
) -> AsyncIterator[tuple[ServerProcess, Watch, set[int]]]:
    """Servers A and B on the broker at kafka, a GUI watching B, and the ids of 4 jobs queued
    through A that B's stream has shown finished (Kafka carries events between them)."""
    a = start(spawn_server, mysql_url, kafka, "20")
    b = start(spawn_server, mysql_url, kafka, "20")
    watch = Watch(b.address)
    try:
        before = await create(a.address, "before", 4)
        await until_final(watch, before, 60)
        yield a, watch, before
    finally:
        await watch.close()


# The one rerun in the suite, and why: this test freezes a real broker (SIGSTOP) and resumes it;
# how soon kafka-python notices the frozen connections and reconnects after SIGCONT is up to the
# client's and tansu's own timers on a loaded machine, not to anything ClusterGenie can wait on.
# What it asserts (no event lost, each job run once) must hold on every run; only the waiting may
# be retried, once, and pytest reports it as RERUN.
@pytest.mark.flaky(reruns=1)
async def test_a_broker_outage_loses_no_event_and_needs_no_restart(
    spawn_server: SpawnServer,
    shared_db: Database,  # noqa: F811
    mysql_url: str,
    tmp_path: Path,
) -> None:
    with tansu_process(tmp_path / "tansu.log") as (kafka, broker):
        async with two_servers(spawn_server, mysql_url, kafka) as (a, watch, before):
            broker.send_signal(signal.SIGSTOP)  # the broker stops answering
            began = time.monotonic()
            during = await create(a.address, "during", 20)  # acknowledged while it is down
            acknowledged_in = time.monotonic() - began
            await until_succeeded(shared_db, during)  # the servers keep working from the database
            shown_while_down = {i for i in during if watch.final({i})}
            broker.send_signal(signal.SIGCONT)  # back

            await until_final(watch, during, 120)  # what waited in A's outbox reaches B
            after = await create(a.address, "after", 4)
            await until_final(watch, after, 60)

    ids = before | during | after
    print(  # noqa: T201 - the issue asks each scenario to print what it counted
        f"\nkafka outage: {len(during)} jobs acknowledged in {acknowledged_in:.2f} s while the "
        f"broker was down, {len(shown_while_down)} of them shown on B before it came back "
        f"(B ran those itself), all {len(ids)} jobs shown final on B afterwards"
    )
    await assert_each_ran_once(shared_db, ids)


async def test_a_replaced_broker_loses_no_event_and_needs_no_restart(
    spawn_server: SpawnServer,
    shared_db: Database,  # noqa: F811
    mysql_url: str,
    tmp_path: Path,
) -> None:
    port, broker_log = free_port(), tmp_path / "tansu.log"
    with tansu_process(broker_log, port=port) as (kafka, old_broker):
        async with two_servers(spawn_server, mysql_url, kafka) as (a, watch, before):
            old_broker.kill()  # gone, and its topics and offsets with it
            old_broker.wait()
            during = await create(a.address, "during", 10)  # acknowledged while it is down
            await until_succeeded(shared_db, during)  # the servers keep working from the database
            with tansu_process(broker_log, port=port):  # a new, empty broker at the same address
                after: set[int] = set()
                for batch in range(4):  # acknowledged while the servers find their topics gone
                    after |= await create(a.address, f"after{batch}", 6)
                await until_final(watch, during | after, 120)  # each reaches B's stream

    ids = before | during | after
    print(  # noqa: T201 - the issue asks each scenario to print what it counted
        f"\nkafka replaced: {len(during)} jobs acknowledged while no broker ran, {len(after)} "
        f"after an empty one replaced it; all {len(ids)} jobs shown final on B"
    )
    await assert_each_ran_once(shared_db, ids)
