"""Fixtures for tests that talk to a real server over a real gRPC channel."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar, cast

import grpc
import pytest
from grpc import aio

from clustergenie_server.api.v1 import common_pb2, jobs_pb2, jobs_pb2_grpc, provisioning_pb2_grpc
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.db import Database
from clustergenie_server.settings import JobSettings, Settings, SimulationSettings
from tests.auth_support import TEST_AUTH, TEST_TOKEN, authed_channel
from tests.redis_support import redis_server  # noqa: F401 - a fixture

R = TypeVar("R")
# The marker read() returns at the end of a stream: grpc-stubs has its type (EOFType) only.
STREAM_END: object = aio.EOF  # type: ignore[attr-defined]

# Fast enough that a provision takes ~0.1 s, slow enough that steps are still observable.
FAST = SimulationSettings(time_scale=80.0, failure_rate=0.0, seed=7)
FINAL = {
    common_pb2.JOB_STATE_SUCCEEDED,
    common_pb2.JOB_STATE_FAILED,
    common_pb2.JOB_STATE_CANCELLED,
}


def make_settings(database_url: str, jobs: JobSettings | None = None, **sim: Any) -> Settings:
    """Settings for a test server on a free loopback port; sim: SimulationSettings fields."""
    return Settings(
        listen="127.0.0.1:0",
        database_url=database_url,
        log_level="WARNING",
        shutdown_grace_seconds=1.0,
        simulation=replace(FAST, **sim),
        jobs=jobs or JobSettings(backoff_seconds=0.05),
        auth=TEST_AUTH,
    )


@dataclass
class Api:
    """Stubs on one channel to a running server."""

    app: ServerApp
    channel: aio.Channel
    provisioning: provisioning_pb2_grpc.ProvisioningServiceStub
    jobs: jobs_pb2_grpc.JobServiceStub

    async def wait_jobs(self, ids: list[int], *, timeout: float = 20.0) -> list[jobs_pb2.Job]:
        """Watch jobs until every one of ids is final; returns them in the order of ids."""
        latest: dict[int, jobs_pb2.Job] = {}
        wanted = set(ids)
        async with asyncio.timeout(timeout):
            async for update in self.jobs.WatchJobs(jobs_pb2.WatchJobsRequest()):
                if update.HasField("job") and update.job.id in wanted:
                    latest[update.job.id] = update.job
                if wanted <= latest.keys() and all(latest[i].state in FINAL for i in wanted):
                    return [latest[i] for i in ids]
        raise AssertionError("unreachable")


StartApi = Callable[..., Awaitable[Api]]


async def next_message(call: aio.UnaryStreamCall[Any, R]) -> R:
    """The stream's next message; fails the test when the stream ends instead."""
    message = await call.read()
    assert message is not STREAM_END, "the stream ended"
    return cast(R, message)


@pytest.fixture
async def start_api(database: Database, database_url: str) -> AsyncIterator[StartApi]:
    """Start servers on the test's clean database; each is stopped at the end of the test."""
    started: list[Api] = []

    async def start(jobs: JobSettings | None = None, **sim: Any) -> Api:
        app = await build_server(make_settings(database_url, jobs, **sim))
        await app.start()
        channel = authed_channel(app.address)  # every call carries the test's admin token
        api = Api(
            app,
            channel,
            provisioning_pb2_grpc.ProvisioningServiceStub(channel),
            jobs_pb2_grpc.JobServiceStub(channel),
        )
        started.append(api)
        return api

    yield start
    for api in started:
        await api.channel.close(None)
        await api.app.stop()


@pytest.fixture
async def api(start_api: StartApi) -> Api:
    """One fast server with no simulated failures."""
    return await start_api()


@dataclass
class ServerProcess:
    """A `clustergenie-server` child process."""

    process: subprocess.Popen[str]
    address: str


SpawnServer = Callable[..., ServerProcess]


@pytest.fixture
def spawn_server(tmp_path: Path) -> Iterator[SpawnServer]:
    """Start the real command as a child process; it is killed at the end of the test."""
    children: list[subprocess.Popen[str]] = []

    def spawn(*args: str, stdin: int | None = subprocess.DEVNULL) -> ServerProcess:
        # The token: the child accepts it, authed_channel sends it.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "CLUSTERGENIE_TOKEN": TEST_TOKEN}
        with open(tmp_path / f"server-{len(children)}.log", "w") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "clustergenie_server", "--log-level", "WARNING", *args],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
                env=env,
            )
        children.append(process)
        assert process.stdout is not None
        line = process.stdout.readline()  # the READY line; EOF if the server died first
        if not line.startswith("CLUSTERGENIE_READY "):
            process.kill()
            log = (tmp_path / f"server-{len(children) - 1}.log").read_text()
            raise AssertionError(f"server did not start: {line!r}\n{log}")
        return ServerProcess(process, line.split()[1])

    yield spawn
    for process in children:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def status_of(error: grpc.RpcError) -> tuple[grpc.StatusCode, str]:
    """(code, details) of a failed call."""
    assert isinstance(error, aio.AioRpcError)
    return error.code(), error.details() or ""
