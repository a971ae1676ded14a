"""The Prometheus endpoint: what a team's Prometheus reads about a running server."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import aiohttp
import grpc
import pytest
from grpc import aio

from clustergenie_server.api.v1 import (
    jobs_pb2,
    jobs_pb2_grpc,
    logs_pb2,
    logs_pb2_grpc,
    provisioning_pb2,
    provisioning_pb2_grpc,
)
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.db import Database
from clustergenie_server.services.ops.metrics_endpoint import EndpointError
from clustergenie_server.settings import LogSettings
from tests.auth_support import authed_channel
from tests.integration.conftest import make_settings
from tests.metrics_support import Samples, scrape, scrape_until, value
from tests.redis_support import missing


@pytest.fixture
async def metered(database: Database, database_url: str) -> AsyncIterator[ServerApp]:
    """A server with /metrics on a free loopback port."""
    settings = replace(make_settings(database_url), metrics_listen="127.0.0.1:0")
    app = await build_server(settings)
    await app.start()
    yield app
    await app.stop()


def _droplet_series(samples: Samples) -> list[dict[str, str]]:
    return [dict(labels) for name, labels in samples if name == "clustergenie_droplet_cpu_percent"]


async def _provision(app: ServerApp, name: str, count: int) -> set[str]:
    """Create a cluster of `count` droplets; their ids as the metrics' labels show them."""
    async with authed_channel(app.address) as channel:
        stub = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        created = await stub.CreateCluster(
            provisioning_pb2.CreateClusterRequest(
                name=name, region="nyc1", size="s-1vcpu-1gb", image="debian-12-x64",
                droplet_count=count,
            ),
            timeout=10,
        )  # fmt: skip
        listed = await stub.ListDroplets(
            provisioning_pb2.ListDropletsRequest(cluster_id=created.cluster.id), timeout=10
        )
    return {str(d.id) for d in listed.droplets}


async def test_metrics_count_rpcs_refusals_streams_jobs_and_droplets(metered: ServerApp) -> None:
    # Ids come from the database: on a shared MariaDB they continue from earlier tests.
    droplet_ids = await _provision(metered, "metered", 2)
    async with aio.insecure_channel(metered.address) as anonymous:
        stub = provisioning_pb2_grpc.ProvisioningServiceStub(anonymous)
        with pytest.raises(grpc.RpcError):
            await stub.ListClusters(provisioning_pb2.ListClustersRequest(), timeout=5)

    def provisioned(s: Samples) -> bool:
        done = value(
            s, "clustergenie_job_outcomes_total", kind="provision_droplet", outcome="succeeded"
        )
        return done == 2 and len(_droplet_series(s)) == 2

    samples = await scrape_until(metered, provisioned)
    service = "clustergenie.v1.ProvisioningService"
    assert (
        value(
            samples,
            "clustergenie_rpc_requests_total",
            service=service,
            method="CreateCluster",
            code="OK",
        )
        == 1
    )
    assert (
        value(
            samples,
            "clustergenie_rpc_requests_total",
            service=service,
            method="ListClusters",
            code="UNAUTHENTICATED",
        )
        == 1
    )
    assert (
        value(
            samples,
            "clustergenie_rpc_duration_seconds_count",
            service=service,
            method="CreateCluster",
        )
        == 1
    )
    assert value(samples, "clustergenie_droplets", status="active") == 2
    assert value(samples, "clustergenie_job_queue_depth") == 0
    assert value(samples, "clustergenie_outbox_lag_seconds") >= 0
    assert {d["droplet_id"] for d in _droplet_series(samples)} == droplet_ids
    assert value(samples, "clustergenie_bus_delivery_lag_seconds_count", entity="job") > 0

    # An open watch stream shows while it is open, and is gone once it closes.
    async with authed_channel(metered.address) as channel:
        call = jobs_pb2_grpc.JobServiceStub(channel).WatchJobs(jobs_pb2.WatchJobsRequest())
        await call.read()  # the stream is being served
        watching = await scrape(metered)
        call.cancel()
    assert (
        value(
            watching,
            "clustergenie_rpc_open_streams",
            service="clustergenie.v1.JobService",
            method="WatchJobs",
        )
        == 1
    )
    closed = await scrape_until(
        metered,
        lambda s: (
            value(
                s,
                "clustergenie_rpc_open_streams",
                service="clustergenie.v1.JobService",
                method="WatchJobs",
            )
            == 0
        ),
    )
    assert (
        value(
            closed,
            "clustergenie_rpc_requests_total",
            service="clustergenie.v1.JobService",
            method="WatchJobs",
            code="CANCELLED",
        )
        == 1
    )


async def test_metrics_count_log_lines_accepted_stored_and_dropped(
    database: Database, database_url: str
) -> None:
    # No simulated lines, and room for 100 pending: of one batch of three streams of 100, the
    # two oldest heads are dropped at once (as when the database cannot keep up).
    settings = replace(
        make_settings(database_url),
        metrics_listen="127.0.0.1:0",
        logs=LogSettings(enabled=False, max_pending_lines=100),
    )
    app = await build_server(settings)
    await app.start()
    try:
        batch = logs_pb2.IngestLogsRequest(
            streams=[
                logs_pb2.IngestStream(
                    labels={"cluster": "metered-logs", "droplet": f"d{s}"},
                    lines=[logs_pb2.IngestLine(line=f"line {i}") for i in range(100)],
                )
                for s in range(3)
            ]
        )
        async with authed_channel(app.address) as channel:
            stub = logs_pb2_grpc.LogServiceStub(channel)
            [ack] = [a async for a in stub.IngestLogs(iter([batch]), timeout=10)]
        assert ack.accepted == 300

        def written(s: Samples) -> bool:
            return value(s, "clustergenie_log_lines_total", event="stored") == 100

        samples = await scrape_until(app, written)
        lines = {
            dict(labels)["event"]: n
            for (name, labels), n in samples.items()
            if name == "clustergenie_log_lines_total"
        }
        assert lines == {"accepted": 300, "stored": 100, "dropped": 200, "received": 0}
        assert value(samples, "clustergenie_log_write_failures_total") == 0
        # The in-process bus carries no lines to other servers: no series for its lane.
        assert not [name for name, _ in samples if name.startswith("clustergenie_log_bus_")]
    finally:
        await app.stop()


async def test_a_taken_metrics_port_stops_the_start(database: Database, database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = replace(make_settings(database_url), metrics_listen=f"127.0.0.1:{port}")
        app = await build_server(settings)
        with pytest.raises(EndpointError, match="--metrics-listen"):
            await app.start()
        await app.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
async def test_a_real_prometheus_scrapes_the_server_and_answers_promql(
    metered: ServerApp, tmp_path: Path
) -> None:
    binary = shutil.which("prometheus", path=f"{os.environ.get('PATH', '')}:/usr/bin")
    if binary is None:
        missing("prometheus not found; install the Debian package prometheus")
        raise AssertionError("unreachable")
    assert metered.ops is not None
    target = f"127.0.0.1:{metered.ops.endpoint.port}"
    (tmp_path / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n  - job_name: clustergenie\n"
        f"    static_configs:\n      - targets: ['{target}']\n"
    )
    web = f"127.0.0.1:{_free_port()}"
    process = await asyncio.create_subprocess_exec(
        binary, f"--config.file={tmp_path / 'prometheus.yml'}",
        f"--storage.tsdb.path={tmp_path / 'data'}", f"--web.listen-address={web}",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await _provision(metered, "scraped", 3)
        query = (
            'sum(clustergenie_droplets{status="active"}) + count(clustergenie_droplet_cpu_percent)'
        )
        async with aiohttp.ClientSession() as http:
            answer = await _ask_until(http, web, query, lambda v: v == 6.0)
            # Prometheus also sees the target as up and the RPC counter under its own name.
            up = await _ask_until(http, web, 'up{job="clustergenie"}', lambda v: v == 1.0)
            created = await _ask_until(
                http, web,
                'sum(clustergenie_rpc_requests_total{method="CreateCluster",code="OK"})',
                lambda v: v == 1.0,
            )  # fmt: skip
        assert (answer, up, created) == (6.0, 1.0, 1.0)
    finally:
        process.terminate()
        await process.wait()


async def _ask_until(
    http: aiohttp.ClientSession, web: str, query: str, ok: object, within: float = 60.0
) -> float:
    """Ask Prometheus' HTTP API until the instant query's single value satisfies ok."""
    assert callable(ok)
    last: object = None
    try:
        async with asyncio.timeout(within):
            while True:
                try:
                    async with http.get(f"http://{web}/api/v1/query", params={"query": query}) as r:
                        last = await r.json()
                except aiohttp.ClientError:
                    last = "not answering yet"
                else:
                    result = (
                        last["data"]["result"]
                        if isinstance(last, dict) and last.get("status") == "success"
                        else []
                    )
                    if len(result) == 1 and ok(answered := float(result[0]["value"][1])):
                        return answered
                await asyncio.sleep(0.5)
    except TimeoutError:
        raise AssertionError(
            f"Prometheus never answered {query!r} as expected; last: {last}"
        ) from None
