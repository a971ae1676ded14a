"""Provisioning many droplets through the API, and a bulk insert of as many rows as reference."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection

from bench.job_watch import JobWatch
from bench.report import median
from clustergenie_server.api.v1 import common_pb2, provisioning_pb2, provisioning_pb2_grpc

MAX_PER_REQUEST = 50  # the server's per-request limit on droplet_count
REGION, SIZE, IMAGE = "nyc1", "s-1vcpu-1gb", "ubuntu-24-04-x64"
RPC_DEADLINE_SECONDS = 60.0
SCRATCH_TABLE = "bench_reference_droplets"


@dataclass(frozen=True, slots=True)
class ProvisionResult:
    """One provisioning round: wall time until every droplet is active, and what went wrong."""

    droplets: int
    wall_seconds: float
    failed_jobs: int
    not_active: int
    live_updates: int  # WatchJobs updates one watcher received during the round
    live_lags: list[float]  # their delays, in seconds from each job's updated_at to receipt

    @property
    def jobs_per_second(self) -> float:
        """Provision jobs finished per second of wall time."""
        return self.droplets / self.wall_seconds

    @property
    def updates_per_second(self) -> float:
        """WatchJobs updates per second delivered while the jobs progressed."""
        return self.live_updates / self.wall_seconds


async def provision_round(
    provisioning: provisioning_pb2_grpc.ProvisioningServiceStub,
    watch: JobWatch,
    droplets: int,
    tag: str,
) -> ProvisionResult:
    """Create clusters of up to 50 droplets at once; time until all their jobs are final."""
    counts = [
        min(MAX_PER_REQUEST, droplets - start) for start in range(0, droplets, MAX_PER_REQUEST)
    ]
    updates_before, lags_before = watch.live_updates, len(watch.live_lags)
    began = time.perf_counter()
    responses = await asyncio.gather(
        *(
            provisioning.CreateCluster(
                provisioning_pb2.CreateClusterRequest(
                    name=f"{tag}-{i}", region=REGION, size=SIZE, image=IMAGE, droplet_count=count
                ),
                timeout=RPC_DEADLINE_SECONDS,
            )
            for i, count in enumerate(counts)
        )
    )
    job_ids = [job.id for response in responses for job in response.jobs]
    # Bounded: ten times the 1,000-in-10-s target's pace, plus slack for a slow database.
    async with asyncio.timeout(30.0 + droplets * 0.1):
        finished_at = await watch.wait_final(job_ids)
    wall = finished_at - began
    live_updates = watch.live_updates - updates_before
    failed = sum(watch.latest[i].state != common_pb2.JOB_STATE_SUCCEEDED for i in job_ids)
    listed = await asyncio.gather(
        *(
            provisioning.ListDroplets(
                provisioning_pb2.ListDropletsRequest(cluster_id=r.cluster.id),
                timeout=RPC_DEADLINE_SECONDS,
            )
            for r in responses
        )
    )
    active = sum(d.status == common_pb2.DROPLET_STATUS_ACTIVE for r in listed for d in r.droplets)
    return ProvisionResult(
        droplets, wall, failed, droplets - active, live_updates, watch.live_lags[lags_before:]
    )


def _scratch_table(metadata: sa.MetaData) -> sa.Table:
    """A table of the droplets table's shape (no foreign key: nothing to point at)."""
    return sa.Table(
        SCRATCH_TABLE,
        metadata,
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("cluster_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("size", sa.String(32), nullable=False),
        sa.Column("image", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("ip_address", sa.String(45), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("cluster_id", "name"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )


def _engine(url: str) -> Engine:
    """An engine with the server's SQLite pragmas (WAL, synchronous=NORMAL), for a fair insert."""
    engine = sa.create_engine(url)
    if make_url(url).get_backend_name() == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def bulk_insert_rate(url: str, rows: int, rounds: int) -> float:
    """Median rows/s of one Core executemany INSERT of `rows` rows, committed (blocking)."""
    engine = _engine(url)
    table = _scratch_table(sa.MetaData())
    now = datetime.now(UTC).replace(tzinfo=None)
    values = [
        {
            "cluster_id": 1 + i // MAX_PER_REQUEST,
            "name": f"droplet-{i}",
            "region": REGION,
            "size": SIZE,
            "image": IMAGE,
            "status": "active",
            "ip_address": "203.0.113.9",
            "locked": False,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(rows)
    ]
    rates: list[float] = []
    try:
        for _ in range(rounds):
            table.drop(engine, checkfirst=True)
            table.create(engine)
            began = time.perf_counter()
            with engine.begin() as connection:
                connection.execute(table.insert(), values)
            rates.append(rows / (time.perf_counter() - began))
    finally:
        table.drop(engine, checkfirst=True)
        engine.dispose()
    return median(rates)
