"""The engine runs jobs against any cloud of the JobCloud shape: a scripted one makes the
provision's failure paths (a permanent failure, a retried one) certain instead of seeded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from clustergenie_server.bus.event_bus import JOBS_TOPIC
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, DropletRepository
from clustergenie_server.domain.events import JobChanged
from clustergenie_server.domain.models import Cluster, Droplet, DropletStatus, Job, JobKind
from clustergenie_server.services.jobs.job_cloud import ProgressCallback
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.settings import JobSettings
from tests.server.db.conftest import HANDLERS

BOOT_FAILURE = "the image failed its boot check"


@dataclass(frozen=True, slots=True)
class Failure:
    """A scripted provision failure (the shape of job_cloud.ProvisionFailure)."""

    message: str
    retryable: bool


class ScriptedCloud:
    """Steps take no time; provision attempts fail as scripted, one entry per attempt."""

    def __init__(self, *attempts: Failure | None) -> None:
        self._attempts = list(attempts)

    async def work(self, simulated_seconds: float, on_progress: ProgressCallback) -> None:
        await on_progress(1.0)

    def provision_failure(self, *, region: str, image: str) -> Failure | None:
        return self._attempts.pop(0) if self._attempts else None

    def ip_address(self, droplet_id: int) -> str:
        return f"10.0.0.{droplet_id}"


async def provision(database: Database, cloud: ScriptedCloud, droplet: Droplet) -> Job:
    """Run one provision of droplet on an engine with that cloud; the job as it ended."""
    bus = InProcessEventBus()
    outbox = Outbox(database, bus, owner="test-server")
    engine = JobEngine(
        database, outbox, cloud, JobSettings(backoff_seconds=0.01), owner="test-server"
    )
    engine.set_handlers(HANDLERS)
    jobs = bus.subscribe([JOBS_TOPIC])
    await engine.start()
    try:
        job = await outbox.commit(
            lambda s: (
                engine.new_job(
                    s,
                    kind=JobKind.PROVISION_DROPLET,
                    cluster_id=droplet.cluster_id,
                    droplet_id=droplet.id,
                    target_name=droplet.name,
                    params={"region": "nyc1", "image": "ubuntu-24-04-x64"},
                ),
                [],
            )
        )
        await engine.submitted([job])
        async with asyncio.timeout(10):
            async for event in jobs:
                if isinstance(event, JobChanged) and event.job.state.is_final:
                    return event.job
        raise AssertionError("the job events ended before the job did")
    finally:
        jobs.close()
        await engine.stop()


def stored(database: Database, droplet: Droplet) -> Droplet:
    found = database.run_sync(lambda s: DropletRepository(s).get(droplet.id))
    assert found is not None
    return found


async def test_a_permanent_cloud_failure_fails_the_job_and_marks_the_droplet(
    database: Database, cluster: Cluster, make_droplets: Callable[..., list[Droplet]]
) -> None:
    [droplet] = make_droplets(cluster.id, "web-1")
    cloud = ScriptedCloud(Failure(BOOT_FAILURE, retryable=False))

    job = await provision(database, cloud, droplet)

    assert (job.state.value, job.error, job.attempt) == ("failed", BOOT_FAILURE, 1)
    after = stored(database, droplet)
    assert (after.status, after.locked) == (DropletStatus.ERRORED, False)


async def test_a_retryable_cloud_failure_is_tried_again_and_succeeds(
    database: Database, cluster: Cluster, make_droplets: Callable[..., list[Droplet]]
) -> None:
    [droplet] = make_droplets(cluster.id, "web-1")
    cloud = ScriptedCloud(Failure("no capacity left; try again", retryable=True), None)

    job = await provision(database, cloud, droplet)

    assert (job.state.value, job.attempt) == ("succeeded", 2)
    after = stored(database, droplet)
    assert (after.status, after.locked, after.ip_address) == (
        DropletStatus.ACTIVE,
        False,
        f"10.0.0.{droplet.id}",
    )
