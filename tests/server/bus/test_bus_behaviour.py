"""The EventBus contract, run on the in-process bus and on Kafka alike."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sized

from clustergenie_server.bus import codec
from clustergenie_server.bus.event_bus import JOBS_TOPIC, Subscription
from clustergenie_server.domain.events import Event, JobChanged

from .conftest import MakeBus, job_event

TIMEOUT = 30.0


async def take(subscription: Subscription, count: int) -> list[JobChanged]:
    """The next count job events of a subscription."""
    out: list[JobChanged] = []
    async with asyncio.timeout(TIMEOUT):
        async for event in subscription:
            assert isinstance(event, JobChanged)
            out.append(event)
            if len(out) == count:
                break
    return out


async def drain(subscription: Subscription, into: list[Event]) -> None:
    """Collect everything a subscription yields until it is closed."""
    async for event in subscription:
        into.append(event)


async def until(condition: Callable[[], bool]) -> None:
    """Wait until the condition holds (the consumers run in other tasks)."""
    async with asyncio.timeout(TIMEOUT):
        while not condition():  # noqa: ASYNC110 (the condition is other tasks' lists)
            await asyncio.sleep(0.02)


async def test_broadcast_subscribers_on_every_server_see_every_event(make_bus: MakeBus) -> None:
    a, b = await make_bus("server-a"), await make_bus("server-b")
    on_a, on_b = a.subscribe(), b.subscribe([JOBS_TOPIC])

    await a.publish([job_event(i) for i in range(1, 11)])

    for subscription in (on_a, on_b):
        assert sorted(e.job.id for e in await take(subscription, 10)) == list(range(1, 11))
        subscription.close()


async def test_events_of_one_key_arrive_in_publish_order(make_bus: MakeBus) -> None:
    a, b = await make_bus("server-a"), await make_bus("server-b")
    watcher = b.subscribe()
    keys, steps = range(1, 6), range(20)

    for step in steps:  # interleaved keys, each key's steps in order
        await a.publish([job_event(key, step) for key in keys])

    seen: dict[int, list[int]] = {key: [] for key in keys}
    for event in await take(watcher, len(keys) * len(steps)):
        seen[event.job.id].append(event.job.step_index)
    assert seen == {key: list(steps) for key in keys}
    watcher.close()


async def test_a_consumer_group_splits_the_events_between_its_members(make_bus: MakeBus) -> None:
    a, b = await make_bus("server-a"), await make_bus("server-b")
    got_a: list[Event] = []
    got_b: list[Event] = []
    members = [bus.subscribe([JOBS_TOPIC], group="workers") for bus in (a, b)]
    tasks = [
        asyncio.create_task(drain(member, got))
        for member, got in zip(members, (got_a, got_b), strict=True)
    ]
    published: list[int] = []
    try:
        # Kafka assigns partitions only after both members joined: publish a batch, wait until
        # the group has consumed it, and again until both members have had work.
        async with asyncio.timeout(TIMEOUT):
            while not (got_a and got_b):
                batch = [len(published) + i + 1 for i in range(20)]
                await a.publish([job_event(job_id) for job_id in batch])
                published += batch
                sent = len(published)
                await until(functools.partial(_received, got_a, got_b, sent))
    finally:
        for member in members:
            member.close()
        await asyncio.gather(*tasks, return_exceptions=True)

    ids_a = {e.job.id for e in got_a}  # type: ignore[union-attr]
    ids_b = {e.job.id for e in got_b}  # type: ignore[union-attr]
    assert ids_a
    assert ids_b
    assert ids_a.isdisjoint(ids_b)
    assert ids_a | ids_b == set(published)


async def test_an_event_a_member_did_not_finish_is_redelivered(make_bus: MakeBus) -> None:
    a = await make_bus("server-a")
    first = a.subscribe([JOBS_TOPIC], group="at-least-once")
    await a.publish([job_event(7)])
    [received] = await take(first, 1)
    first.close()  # "crashed" while handling it: it never asked for the next event
    await first.wait_closed()

    b = await make_bus("server-b")
    second = b.subscribe([JOBS_TOPIC], group="at-least-once")
    [again] = await take(second, 1)

    assert again.job.id == received.job.id == 7
    second.close()


async def test_a_redelivered_event_is_yielded_once(make_bus: MakeBus) -> None:
    a, b = await make_bus("server-a"), await make_bus("server-b")
    watcher = b.subscribe()
    member = b.subscribe([JOBS_TOPIC], group="idempotent")
    duplicate = codec.envelope(job_event(1), "server-a")

    await a.publish_envelopes([duplicate, duplicate])  # at least once: the same id twice
    await a.publish([job_event(2)])

    for subscription in (watcher, member):
        # Without the dedupe the first two would be 1 and 1 (keys 1 and 2 are not ordered).
        assert sorted(e.job.id for e in await take(subscription, 2)) == [1, 2]
        subscription.close()


async def test_a_listener_has_each_event_before_any_subscriber_can_read_it(
    make_bus: MakeBus,
) -> None:
    a, b = await make_bus("server-a"), await make_bus("server-b")
    heard: list[Event] = []
    seen_when_read: list[int] = []
    b.listen([JOBS_TOPIC], heard.append)
    watcher = b.subscribe([JOBS_TOPIC])

    await a.publish([job_event(i) for i in range(1, 6)])

    async with asyncio.timeout(TIMEOUT):
        async for _ in watcher:
            seen_when_read.append(len(heard))
            if len(seen_when_read) == 5:
                break
    watcher.close()
    assert sorted(e.job.id for e in heard if isinstance(e, JobChanged)) == [1, 2, 3, 4, 5]
    # When the subscriber reads its i-th event, the listener has had at least i.
    assert all(n >= i for i, n in enumerate(seen_when_read, start=1)), seen_when_read


async def test_a_listener_hears_only_its_topics_until_it_stops(make_bus: MakeBus) -> None:
    bus = await make_bus("server-a")
    jobs: list[Event] = []
    clusters: list[Event] = []
    stop = bus.listen([JOBS_TOPIC], jobs.append)
    bus.listen(["clustergenie.clusters.v1"], clusters.append)
    watcher = bus.subscribe([JOBS_TOPIC])

    await bus.publish([job_event(1)])
    await take(watcher, 1)
    stop()
    await bus.publish([job_event(2)])
    await take(watcher, 1)
    watcher.close()

    assert [e.job.id for e in jobs if isinstance(e, JobChanged)] == [1]
    assert clusters == []


def _received(got_a: Sized, got_b: Sized, sent: int) -> bool:
    """Whether the two group members received `sent` events between them."""
    return len(got_a) + len(got_b) >= sent
