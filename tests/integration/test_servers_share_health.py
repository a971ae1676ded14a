"""Two server processes on one MariaDB and one Kafka broker run each health check once per
interval, and the survivor takes a killed server's checks over within a bounded time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.api.v1 import health_pb2 as hp
from clustergenie_server.api.v1 import health_pb2_grpc
from clustergenie_server.db import Database
from clustergenie_server.db.health_models import health_leases, health_results
from clustergenie_server.db.models import Base
from clustergenie_server.services.health.partitions import LEASE_SECONDS, PARTITIONS, RENEW_SECONDS
from tests.auth_support import authed_channel

from .conftest import SpawnServer

pytestmark = [pytest.mark.slow, pytest.mark.mysql]

INTERVAL = 2.0
CHECKS = 16  # one per partition


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


@pytest.fixture
async def tcp_target() -> AsyncIterator[str]:
    """A TCP listener the checks connect to."""

    async def close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(close, "127.0.0.1", 0)
    yield f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    server.close()


def _owners(s: Session) -> dict[int, str]:
    return {p: o for p, o in s.execute(sa.select(health_leases.c.partition, health_leases.c.owner))}


def _rounds(s: Session) -> dict[int, list[float]]:
    """Check id -> when each stored round was due, ascending."""
    rows = s.execute(
        sa.select(health_results.c.check_id, health_results.c.scheduled_at).order_by(
            health_results.c.scheduled_at
        )
    )
    out: dict[int, list[float]] = {}
    for check_id, due in rows:
        out.setdefault(int(check_id), []).append(float(due))
    return out


async def _until(db: Database, test: Callable[[Session], bool], within: float) -> None:
    """Poll the database until test(session) holds (a condition, never a fixed sleep)."""
    async with asyncio.timeout(within):
        while not await db.read(test):  # noqa: ASYNC110 (rows, no signal)
            await asyncio.sleep(0.2)


async def test_each_check_runs_once_per_interval_and_survives_a_kill(
    spawn_server: SpawnServer,
    shared_db: Database,
    mysql_url: str,
    kafka_bootstrap: str,
    tcp_target: str,
) -> None:
    args = ("--listen", "127.0.0.1:0", "--database-url", mysql_url,
            "--kafka-bootstrap", kafka_bootstrap, "--failure-rate", "0")  # fmt: skip
    a, b = spawn_server(*args), spawn_server(*args)
    async with authed_channel(a.address) as channel:
        stub = health_pb2_grpc.HealthCheckServiceStub(channel)
        for n in range(CHECKS):
            check = hp.HealthCheck(
                name=f"tcp-{n}", kind=hp.CHECK_KIND_TCP, target_kind=hp.TARGET_KIND_ADDRESS,
                address=tcp_target, interval_seconds=INTERVAL, timeout_seconds=1.0,
            )  # fmt: skip
            await stub.CreateCheck(hp.CreateCheckRequest(check=check))

    # Both servers share the partitions: half each.
    def split(s: Session) -> bool:
        owners = _owners(s)
        return len(owners) == PARTITIONS and len(set(owners.values())) == 2

    await _until(shared_db, split, 30)
    started = time.time()

    def five_rounds_each(s: Session) -> bool:
        rounds = _rounds(s)
        return len(rounds) == CHECKS and all(
            len([t for t in r if t > started]) >= 5 for r in rounds.values()
        )

    await _until(shared_db, five_rounds_each, 60)
    owners = await shared_db.read(_owners)
    a_partitions = {p for p, o in owners.items() if o.split(":")[1] == str(a.process.pid)}
    assert 0 < len(a_partitions) < PARTITIONS

    # A GUI on B sees every target with its last result, A's checks' too.
    async with authed_channel(b.address) as channel:
        status = await health_pb2_grpc.HealthCheckServiceStub(channel).GetStatus(
            hp.GetStatusRequest()
        )
        assert len(status.targets) == CHECKS
        assert all(t.state == hp.HEALTH_STATE_HEALTHY for t in status.targets)
        assert all(t.HasField("last") for t in status.targets)
        # ... and its WatchHealth streams the results of every check, wherever it runs.
        watch = health_pb2_grpc.HealthCheckServiceStub(channel).WatchHealth(hp.WatchHealthRequest())
        streamed: set[int] = set()
        async with asyncio.timeout(20):
            async for update in watch:
                if update.HasField("result"):
                    streamed.add(update.result.check_id)
                if len(streamed) == CHECKS:
                    break
        watch.cancel()

    a.process.kill()  # SIGKILL: no shutdown, its leases are left to expire
    killed = time.time()

    def taken_over(s: Session) -> bool:
        rounds = _rounds(s)
        return all(any(t > killed for t in rounds[c]) for c in rounds)

    await _until(shared_db, taken_over, 60)
    takeover = time.time() - killed
    # The lease runs out, the survivor's next renewal takes it, its first round follows.
    assert takeover <= LEASE_SECONDS + RENEW_SECONDS + INTERVAL + 2.0, takeover

    rounds = await shared_db.read(_rounds)
    for check_id, due in rounds.items():
        gaps = [y - x for x, y in zip(due, due[1:], strict=False)]
        # Once per interval: never two rounds of one check closer than the interval.
        assert min(gaps) >= INTERVAL - 0.05, (check_id, due)
    owners = await shared_db.read(_owners)
    assert set(owners.values()) == {o for o in owners.values() if str(b.process.pid) in o}
