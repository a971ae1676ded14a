"""The hot view: round-trips domain objects, never goes back in time, follows the event bus."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.cache import Cache, InProcessCache
from clustergenie_server.domain.events import DropletChanged, JobChanged
from clustergenie_server.domain.models import Droplet, DropletStatus, Job, JobKind, JobState
from clustergenie_server.services.shared.hot_view import HotView, decode, encode, follow_events
from tests.waiting import eventually

from .conftest import Passing

T0 = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)

JOB = Job(
    id=7,
    kind=JobKind.RESIZE_DROPLET,
    state=JobState.RUNNING,
    cluster_id=1,
    droplet_id=3,
    target_name="web-1",
    params={"size": "s-2vcpu-4gb"},
    progress=0.5,
    step="resizing",
    created_at=T0,
    updated_at=T0,
    lease_owner="host:1",
)
DROPLET = Droplet(
    id=3,
    cluster_id=1,
    name="web-1",
    region="fra1",
    size="s-1vcpu-1gb",
    image="ubuntu-24-04-x64",
    status=DropletStatus.ACTIVE,
    ip_address="10.0.0.3",
    locked=True,
    created_at=T0,
    updated_at=T0,
)


def test_encode_decode_round_trips() -> None:
    assert decode(Job, encode(JOB)) == JOB
    assert decode(Droplet, encode(DROPLET)) == DROPLET


async def test_an_older_state_never_replaces_a_newer_one(cache: Cache) -> None:
    view = HotView(cache, ttl=10)
    done = replace(JOB, state=JobState.SUCCEEDED, progress=1.0, updated_at=T0 + timedelta(1))
    await view.put_job(done)
    await view.put_job(JOB)  # a late read-through fill or a delayed event
    assert await view.job(7) == done
    assert await view.job(8) is None


async def test_a_repeated_read_shows_each_new_state(cache: Cache) -> None:
    # Repeated reads of one state reuse its decoded object; a new state is decoded afresh.
    view = HotView(cache, ttl=10)
    await view.put_droplet(DROPLET)
    first = await view.droplet(3)
    assert first == DROPLET
    assert await view.droplet(3) is first
    off = replace(DROPLET, status=DropletStatus.OFF, updated_at=T0 + timedelta(1))
    await view.put_droplet(off)
    assert await view.droplet(3) == off


async def test_a_stale_entry_expires(cache: Cache, passing: Passing) -> None:
    view = HotView(cache, ttl=0.5)
    await view.put_droplet(DROPLET)
    assert await view.droplet(3) == DROPLET

    async def gone() -> bool:
        return await view.droplet(3) is None

    await passing.until(gone, seconds=0.6)


async def test_an_unreadable_entry_is_a_miss(cache: Cache) -> None:
    await cache.set("hot:v1:job:7", b"{not json", ttl=10)
    assert await HotView(cache, ttl=10).job(7) is None
    assert await cache.get("hot:v1:job:7") is None


async def test_follows_the_bus_and_starts_over_after_overflow() -> None:
    bus = InProcessEventBus(subscriber_queue_size=2)
    view = HotView(InProcessCache(), ttl=10)
    task = follow_events(bus, view)

    async def shows(job: Job | None, droplet: Droplet | None) -> bool:
        return (await view.job(7), await view.droplet(3)) == (job, droplet)

    await bus.publish([JobChanged(JOB), DropletChanged(DROPLET)])
    await eventually(lambda: shows(JOB, DROPLET), what="the view to follow both events")
    # Three events at once overflow a queue of two: everything is dropped, then followed again.
    moved = [replace(JOB, progress=p, updated_at=T0 + timedelta(seconds=p)) for p in (1, 2, 3)]
    await bus.publish([JobChanged(j) for j in moved])
    await eventually(lambda: shows(None, None), what="the view to start over")
    await bus.publish([JobChanged(moved[-1])])
    await eventually(lambda: shows(moved[-1], None), what="the view to follow again")
    await bus.aclose()
    await asyncio.wait_for(task, 1)
