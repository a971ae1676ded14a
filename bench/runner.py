"""One bench run: start both servers as children, measure every figure, return the table rows."""

from __future__ import annotations

import asyncio
import itertools
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf.message import Message
from grpc import aio

from bench import (
    load_bench,
    provision_bench,
    reference_server,
    server_child,
    servers_bench,
    stream_bench,
    telemetry_bench,
)
from bench.children import bench_channel, spawn
from bench.database import bench_database
from bench.job_watch import JobWatch
from bench.provision_bench import IMAGE, REGION, SIZE, ProvisionResult
from bench.report import Row, median
from bench.rpc_bench import RPC_DEADLINE_SECONDS, Call, Plan, UnaryResult, compare
from clustergenie_server.api.v1 import jobs_pb2, jobs_pb2_grpc, provisioning_pb2
from clustergenie_server.api.v1 import provisioning_pb2_grpc as prov_grpc
from clustergenie_server.settings import JobSettings, SimulationSettings

FIXTURE_DROPLETS = 5  # the warm-up cluster; its first droplet is the one GetDroplet reads
BULK_PLACEHOLDER = "bulk insert"


@dataclass(frozen=True, slots=True)
class Options:
    """What to run: sizes, durations and where the server keeps its data."""

    droplets: int
    quick: bool
    database_url: str | None
    time_scale: float
    job_workers: int | None
    profile: Path | None
    clients: int = 50  # the load figure's concurrent clients

    @property
    def plan(self) -> Plan:
        """Warm-up and round lengths of the unary figures."""
        return Plan(0.1, 0.25, 1) if self.quick else Plan(0.5, 1.5, 3)

    @property
    def rounds(self) -> int:
        """Repetitions of the provisioning and streaming figures."""
        return 1 if self.quick else 3

    @property
    def stream_rounds(self) -> int:
        """Measurements of each stream figure, ours and the reference alternating."""
        return 1 if self.quick else 5

    @property
    def stream_seconds(self) -> float:
        """How long one stream measurement repeats its calls."""
        return 0.2 if self.quick else 1.0


@dataclass
class Stubs:
    """Stubs of the real server and of the reference server."""

    ours: prov_grpc.ProvisioningServiceStub
    reference: prov_grpc.ProvisioningServiceStub
    our_channel: aio.Channel
    reference_channel: aio.Channel
    canned: Path  # the reference server's canned messages
    droplet_id: int = 0
    names: Iterator[int] = field(default_factory=itertools.count)


def progress(message: str) -> None:
    """Say what is being measured, on stderr so stdout carries only the table."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


async def run(options: Options) -> tuple[list[Row], str]:
    """Measure everything; returns the rows and a one-line description of the setup."""
    with tempfile.TemporaryDirectory(prefix="clustergenie-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with bench_database(options.database_url, tmp) as (server_url, reference_url):
            rows = await with_servers(options, tmp, server_url)
            progress("bulk insert reference")
            rate = await asyncio.to_thread(
                provision_bench.bulk_insert_rate, reference_url, options.droplets, options.rounds
            )
            rows = [_bulk_reference(row, rate) for row in rows]
            progress("telemetry: simulation ticks and a 24 h metrics query")
            rows += await asyncio.to_thread(telemetry_bench.rows, server_url, quick=options.quick)
            progress(f"load: {options.clients} clients holding job, inventory and metric streams")
            rows += await load_bench.rows(
                _server_args(options, server_url),
                tmp / "load.log",
                BENCH_ENV,
                clients=options.clients,
                droplets=options.droplets,
                quick=options.quick,
            )
            progress("job throughput: one server, then two sharing the database")
            rows += await servers_bench.rows(
                _server_args(options, server_url), tmp, BENCH_ENV, droplets=options.droplets
            )
    backend = server_url.split(":", 1)[0]
    return rows, backend


def _bulk_reference(row: Row, rate: float) -> Row:
    """Fill in the bulk-insert reference, measured once the servers have stopped."""
    if row.reference_label != BULK_PLACEHOLDER:
        return row
    return Row(row.figure, row.value, rate, row.unit, "Core bulk INSERT rows")


def _server_args(options: Options, url: str) -> list[str]:
    args = [
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        url,
        "--time-scale",
        f"{options.time_scale:g}",
        "--failure-rate",
        "0",
        "--seed",
        "1",
        "--log-level",
        "WARNING",
    ]
    if options.profile is not None:
        args += ["--profile", str(options.profile)]
    return args


# The bench measures throughput: the per-client rate limit on changes would measure itself.
BENCH_ENV = {"CLUSTERGENIE_MUTATIONS_PER_SECOND": "0"}


Measure = Callable[[Options, Stubs, JobWatch], Awaitable[list[Row]]]


async def with_servers(
    options: Options, tmp: Path, url: str, measure: Measure | None = None
) -> list[Row]:
    """Start our server and the reference, then measure (default: every server figure)."""
    env = dict(BENCH_ENV)
    if options.job_workers is not None:
        env["CLUSTERGENIE_JOB_WORKERS"] = str(options.job_workers)
    progress("starting the server")
    async with (
        spawn(
            "bench.server_child",
            _server_args(options, url),
            server_child.READY_PREFIX,
            tmp / "server.log",
            env,
        ) as server,
        bench_channel(server.address) as channel,
    ):
        our_jobs = jobs_pb2_grpc.JobServiceStub(channel)
        watch = JobWatch(our_jobs)
        await watch.start()
        try:
            canned = tmp / "canned"
            droplet_id = await _prepare(prov_grpc.ProvisioningServiceStub(channel), watch, canned)
            progress("starting the reference server")
            async with (
                spawn(
                    "bench.reference_server",
                    ["--canned", str(canned)],
                    reference_server.READY_PREFIX,
                    tmp / "reference.log",
                ) as reference,
                bench_channel(reference.address) as reference_channel,
            ):
                stubs = Stubs(
                    prov_grpc.ProvisioningServiceStub(channel),
                    prov_grpc.ProvisioningServiceStub(reference_channel),
                    channel,
                    reference_channel,
                    canned,
                    droplet_id,
                )
                return await (measure or _measure)(options, stubs, watch)
        finally:
            await watch.stop()


async def _prepare(
    provisioning: prov_grpc.ProvisioningServiceStub, watch: JobWatch, canned: Path
) -> int:
    """Warm the server up with a small cluster and capture the messages the reference returns."""
    progress("warming up")
    created = await provisioning.CreateCluster(
        provisioning_pb2.CreateClusterRequest(
            name="fixture", region=REGION, size=SIZE, image=IMAGE, droplet_count=FIXTURE_DROPLETS
        ),
        timeout=RPC_DEADLINE_SECONDS,
    )
    async with asyncio.timeout(60):
        await watch.wait_final([j.id for j in created.jobs])
    droplet_id: int = created.droplets[0].id
    droplet = await provisioning.GetDroplet(
        provisioning_pb2.GetDropletRequest(id=droplet_id), timeout=RPC_DEADLINE_SECONDS
    )
    empty = await provisioning.CreateCluster(
        provisioning_pb2.CreateClusterRequest(
            name="fixture-empty", region=REGION, size=SIZE, image=IMAGE, droplet_count=0
        ),
        timeout=RPC_DEADLINE_SECONDS,
    )
    update = jobs_pb2.JobUpdate(job=watch.latest[created.jobs[0].id])
    _write_canned(canned, {"droplet": droplet, "cluster_action": empty, "job_update": update})
    return droplet_id


def _write_canned(canned: Path, messages: dict[str, Message]) -> None:
    """Save the captured messages where the reference server reads them."""
    canned.mkdir()
    for key, message in messages.items():
        (canned / reference_server.CANNED_FILES[key]).write_bytes(message.SerializeToString())


async def _measure(options: Options, stubs: Stubs, watch: JobWatch) -> list[Row]:
    rows: list[Row] = []
    for concurrency in (1, 32):
        rows += await _unary_rows(options, stubs, "GetDroplet", concurrency)
        rows += await _unary_rows(options, stubs, "CreateCluster", concurrency)
    progress(f"provisioning {options.droplets} droplets")
    results = [
        await provision_bench.provision_round(stubs.ours, watch, options.droplets, f"prov-{i}")
        for i in range(options.rounds)
    ]
    rows += _provision_rows(options, results)
    return rows + await stream_rows(options, stubs, results)


async def stream_rows(options: Options, stubs: Stubs, results: list[ProvisionResult]) -> list[Row]:
    """The streaming figures; live updates are those received while provisioning."""
    progress("streaming")
    return await stream_bench.rows(
        stubs.our_channel,
        stubs.reference_channel,
        stubs.canned,
        live_rate=median([r.updates_per_second for r in results]),
        live_lags=sorted(lag for r in results for lag in r.live_lags),
        rounds=options.stream_rounds,
        seconds=options.stream_seconds,
    )


def _unary_call(stubs: Stubs, method: str, ours: bool) -> Call:
    stub = stubs.ours if ours else stubs.reference
    if method == "GetDroplet":
        request = provisioning_pb2.GetDropletRequest(id=stubs.droplet_id)
        return lambda: stub.GetDroplet(request, timeout=RPC_DEADLINE_SECONDS)

    def create() -> Awaitable[object]:
        # Unique names: a cluster name is unique among live clusters.
        call: Awaitable[object] = stub.CreateCluster(
            provisioning_pb2.CreateClusterRequest(
                name=f"w-{next(stubs.names)}",
                region=REGION,
                size=SIZE,
                image=IMAGE,
                droplet_count=0,
            ),
            timeout=RPC_DEADLINE_SECONDS,
        )
        return call

    return create


async def _unary_rows(options: Options, stubs: Stubs, method: str, concurrency: int) -> list[Row]:
    progress(f"{method} with {concurrency} concurrent client(s)")
    ours, reference = await compare(
        _unary_call(stubs, method, True),
        _unary_call(stubs, method, False),
        concurrency,
        options.plan,
    )
    return _unary_result_rows(f"{method} x{concurrency}", ours, reference)


def _unary_result_rows(name: str, ours: UnaryResult, reference: UnaryResult) -> list[Row]:
    return [
        Row(f"{name}: rate", ours.rate, reference.rate, "calls/s"),
        Row(f"{name}: p50 latency", ours.p50_ms, reference.p50_ms, "ms"),
        Row(f"{name}: p99 latency", ours.p99_ms, reference.p99_ms, "ms"),
    ]


def _provision_rows(options: Options, results: list[ProvisionResult]) -> list[Row]:
    n = options.droplets
    failed = sum(r.failed_jobs for r in results)
    inactive = sum(r.not_active for r in results)
    wall = median([r.wall_seconds for r in results])
    workers = options.job_workers or JobSettings().workers
    # Not measured: the simulated provisioning time alone, spread over the job workers.
    floor = n / workers * SimulationSettings().provision_seconds / options.time_scale
    note = f"{failed} failed, {inactive} not active"
    return [
        Row(
            f"provision {n} droplets: wall time ({note})",
            wall,
            floor,
            "s",
            f"simulation floor, {workers} workers",
        ),
        Row(
            f"provision {n} droplets: droplets active per second",
            n / wall if wall else 0.0,
            None,
            "/s",
            BULK_PLACEHOLDER,
        ),
    ]
