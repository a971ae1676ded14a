"""Buses for the behavioural tests: each test runs on the in-process bus and on Kafka (tansu)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest

from clustergenie_server.bus.event_bus import EventBus
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.domain.events import JobChanged
from clustergenie_server.domain.models import Job, JobKind, JobState

MakeBus = Callable[[str], Awaitable[EventBus]]


@pytest.fixture(params=["in_process", pytest.param("kafka", marks=pytest.mark.slow)])
async def make_bus(request: pytest.FixtureRequest) -> AsyncIterator[MakeBus]:
    """Build buses that share one "cluster": one process's bus, or one broker's fresh topics."""
    made: list[EventBus] = []
    shared = InProcessEventBus(origin="shared")
    prefix = f"test-{uuid.uuid4().hex[:10]}."  # fresh topics: no other test's events

    async def make(origin: str) -> EventBus:
        if request.param == "in_process":
            return shared  # one process: every "server" is the same bus
        from clustergenie_server.bus.kafka_bus import KafkaEventBus

        bootstrap: str = request.getfixturevalue("kafka_bootstrap")
        bus = KafkaEventBus(bootstrap, origin=origin, topic_prefix=prefix, partitions=4)
        await bus.start()
        assert bus.ready, f"Kafka at {bootstrap} did not come up"
        made.append(bus)
        return bus

    yield make
    for bus in made:
        await bus.aclose()
    await shared.aclose()


def job_event(job_id: int, step_index: int = 0, state: JobState = JobState.QUEUED) -> JobChanged:
    """A job event whose id and step tell tests apart what they receive."""
    return JobChanged(
        Job(
            id=job_id,
            kind=JobKind.REBOOT_DROPLET,
            state=state,
            cluster_id=1,
            droplet_id=job_id,
            target_name=f"d-{job_id}",
            params={"size": "s-1vcpu-1gb"},
            step_index=step_index,
            updated_at=datetime.now(UTC),
        )
    )
