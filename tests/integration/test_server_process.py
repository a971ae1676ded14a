"""`clustergenie-server` as people run it: flags, env, TOML, health, signals, crashes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from sqlalchemy.orm import Session

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import (
    jobs_pb2,
    jobs_pb2_grpc,
    provisioning_pb2,
    provisioning_pb2_grpc,
)
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.db.models import Base
from tests.auth_support import TEST_TOKEN, authed_channel

from .conftest import ServerProcess, SpawnServer


def stubs(
    channel: aio.Channel,
) -> tuple[provisioning_pb2_grpc.ProvisioningServiceStub, jobs_pb2_grpc.JobServiceStub]:
    return (
        provisioning_pb2_grpc.ProvisioningServiceStub(channel),
        jobs_pb2_grpc.JobServiceStub(channel),
    )


async def wait_for_job(
    address: str, job_id: int, state: int, *, timeout: float = 30.0
) -> jobs_pb2.Job:
    """Watch the job on the server at address until it reaches state."""
    async with authed_channel(address) as channel, asyncio.timeout(timeout):
        async for update in jobs_pb2_grpc.JobServiceStub(channel).WatchJobs(
            jobs_pb2.WatchJobsRequest()
        ):
            if update.job.id == job_id and update.job.state == state:
                return update.job
    raise AssertionError("stream ended")


async def create_slow_cluster(address: str) -> provisioning_pb2.ClusterActionResponse:
    async with authed_channel(address) as channel:
        provisioning, _ = stubs(channel)
        return await provisioning.CreateCluster(
            provisioning_pb2.CreateClusterRequest(
                name="durable",
                region="fra1",
                size="s-1vcpu-1gb",
                image="debian-12-x64",
                droplet_count=1,
            )
        )


async def test_serves_health_and_reflection(spawn_server: SpawnServer, tmp_path: Path) -> None:
    server = spawn_server("--listen", "127.0.0.1:0", "--database-url", f"sqlite:///{tmp_path}/h.db")
    async with authed_channel(server.address) as channel:
        check = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="clustergenie.v1.JobService")
        )
        assert check.status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        responses = reflection.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")])
        )
        async for response in responses:
            names = {s.name for s in response.list_services_response.service}
            break
    assert {
        "clustergenie.v1.ProvisioningService",
        "clustergenie.v1.JobService",
        "grpc.health.v1.Health",
    } <= names


async def test_sigterm_requeues_the_running_job_and_the_next_start_finishes_it(
    spawn_server: SpawnServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/durable.db"
    first = spawn_server(
        "--listen", "127.0.0.1:0", "--database-url", url, "--time-scale", "1", "--failure-rate", "0"
    )
    created = await create_slow_cluster(first.address)
    job_id = created.jobs[0].id
    await wait_for_job(first.address, job_id, common.JOB_STATE_RUNNING)

    first.process.send_signal(signal.SIGTERM)
    assert first.process.wait(timeout=20) == 0

    db = Database.connect(url)
    job = db.run_sync(lambda s: JobRepository(s).get(job_id))
    db.close()
    assert job is not None
    assert job.state.value == "queued"
    assert job.lease_owner is None

    second = spawn_server(
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        url,
        "--time-scale",
        "20",
        "--failure-rate",
        "0",
    )
    done = await wait_for_job(second.address, job_id, common.JOB_STATE_SUCCEEDED)
    assert done.attempt == 1


async def test_sigkill_mid_job_is_resumed_by_the_next_server(
    spawn_server: SpawnServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/crash.db"
    first = spawn_server(
        "--listen", "127.0.0.1:0", "--database-url", url, "--time-scale", "1", "--failure-rate", "0"
    )
    created = await create_slow_cluster(first.address)
    job_id = created.jobs[0].id
    await wait_for_job(first.address, job_id, common.JOB_STATE_RUNNING)

    first.process.kill()
    first.process.wait(timeout=10)

    # The dead server's lease would hold the job for 15 s; the new server on this host sees
    # that the owning process is gone and resumes the job at once.
    second = spawn_server(
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        url,
        "--time-scale",
        "20",
        "--failure-rate",
        "0",
    )
    done = await wait_for_job(second.address, job_id, common.JOB_STATE_SUCCEEDED, timeout=20)
    async with authed_channel(second.address) as channel:
        provisioning, _ = stubs(channel)
        droplet = await provisioning.GetDroplet(
            provisioning_pb2.GetDropletRequest(id=created.droplets[0].id)
        )
    assert droplet.status == common.DROPLET_STATUS_ACTIVE
    assert not droplet.locked
    assert done.state == common.JOB_STATE_SUCCEEDED


@pytest.mark.mysql
async def test_runs_against_mysql_given_on_the_command_line(
    spawn_server: SpawnServer, mysql_url: str
) -> None:
    server = spawn_server(
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        mysql_url,
        "--time-scale",
        "50",
        "--failure-rate",
        "0",
    )
    created = await create_slow_cluster(server.address)
    await wait_for_job(server.address, created.jobs[0].id, common.JOB_STATE_SUCCEEDED)
    # Leave the shared test database as the other MySQL tests expect it: empty.
    server.process.terminate()
    server.process.wait(timeout=20)
    db = Database.connect(mysql_url)

    def empty(session: Session) -> None:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())

    db.run_sync(empty)
    db.close()


async def test_env_and_toml_configure_the_server(
    spawn_server: SpawnServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        'listen = "127.0.0.1:1"\nlog_level = "WARNING"\n'
        "[simulation]\ntime_scale = 50.0\nfailure_rate = 0.0\n"
    )
    monkeypatch.setenv("CLUSTERGENIE_LISTEN", "127.0.0.1:0")  # env beats the file
    monkeypatch.setenv("CLUSTERGENIE_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    server = spawn_server("--config", str(config))
    assert not server.address.endswith(":1")
    created = await create_slow_cluster(server.address)
    await wait_for_job(server.address, created.jobs[0].id, common.JOB_STATE_SUCCEEDED, timeout=10)
    assert (tmp_path / "env.db").exists()


def test_bad_settings_exit_with_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "clustergenie_server", "--listen", "nonsense"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "listen address 'nonsense' must look like HOST:PORT" in result.stderr


def test_a_taken_port_is_reported(spawn_server: SpawnServer, tmp_path: Path) -> None:
    server = spawn_server("--listen", "127.0.0.1:0", "--database-url", f"sqlite:///{tmp_path}/a.db")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clustergenie_server",
            "--listen",
            server.address,
            "--database-url",
            f"sqlite:///{tmp_path}/b.db",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "CLUSTERGENIE_TOKEN": TEST_TOKEN},
    )
    assert result.returncode == 1
    assert f"cannot listen on {server.address}" in result.stderr


def test_exits_when_stdin_closes(spawn_server: SpawnServer, tmp_path: Path) -> None:
    server: ServerProcess = spawn_server(
        "--listen",
        "127.0.0.1:0",
        "--exit-with-stdin",
        "--database-url",
        f"sqlite:///{tmp_path}/s.db",
        stdin=subprocess.PIPE,
    )
    assert server.process.stdin is not None
    server.process.stdin.close()
    assert server.process.wait(timeout=20) == 0


async def test_unreachable_database_is_named_and_retried(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "clustergenie_server",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        "mysql+pymysql://root:s3cret@127.0.0.1:1/x",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "CLUSTERGENIE_TOKEN": TEST_TOKEN},
    )
    assert process.stderr is not None
    try:
        async with asyncio.timeout(30):
            line = (await process.stderr.readline()).decode()
        assert "127.0.0.1:1" in line
        assert "retrying" in line
        assert "s3cret" not in line
    finally:
        process.send_signal(signal.SIGTERM)
        assert await process.wait() == 0
