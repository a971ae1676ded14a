"""newest_per_key: a stream that falls behind sends newest versions; one that keeps up, all."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from clustergenie_server.bus.event_bus import SubscriberOverflow
from clustergenie_server.services.shared.conflation import newest_per_key

Version = tuple[str, int]  # (row, version)


def row(item: Version) -> str:
    return item[0]


async def feed(queue: asyncio.Queue[Version | None]) -> AsyncIterator[Version]:
    """Changes as a subscription hands them out; None ends them. None is taken only after
    the item before it was consumed, so queue.join() waits until the consumer has them all."""
    while True:
        item = await queue.get()
        queue.task_done()
        if item is None:
            return
        yield item


async def test_a_reader_that_keeps_up_gets_every_version_in_order() -> None:
    queue: asyncio.Queue[Version | None] = asyncio.Queue()
    stream = newest_per_key(feed(queue), row)
    received = []
    for version in [("a", 1), ("a", 2), ("b", 1), ("a", 3)]:
        await queue.put(version)
        received.append(await anext(stream))
    await queue.put(None)

    assert received == [("a", 1), ("a", 2), ("b", 1), ("a", 3)]
    assert [item async for item in stream] == []  # the changes ended, so does the stream


async def test_a_reader_that_fell_behind_gets_each_rows_newest_version_in_first_place() -> None:
    queue: asyncio.Queue[Version | None] = asyncio.Queue()
    stream = newest_per_key(feed(queue), row)
    await queue.put(("a", 1))
    assert await anext(stream) == ("a", 1)

    # The client stops reading while b, a and c change several times.
    for version in [("b", 1), ("a", 2), ("b", 2), ("c", 1), ("a", 3), ("b", 3)]:
        queue.put_nowait(version)
    await queue.put(None)
    async with asyncio.timeout(5):
        await queue.join()  # the reader task took them all while the stream was not read

    assert [item async for item in stream] == [("b", 3), ("a", 3), ("c", 1)]


async def test_what_ended_the_changes_reaches_the_stream() -> None:
    async def overflowing() -> AsyncIterator[Version]:
        yield ("a", 1)
        raise SubscriberOverflow("event subscriber fell behind")

    stream = newest_per_key(overflowing(), row)

    assert await anext(stream) == ("a", 1)
    with pytest.raises(SubscriberOverflow):
        await anext(stream)


async def test_closing_the_stream_stops_reading_the_changes() -> None:
    queue: asyncio.Queue[Version | None] = asyncio.Queue()
    stopped = asyncio.Event()

    async def changes() -> AsyncIterator[Version]:
        try:
            async for item in feed(queue):
                yield item
        finally:
            stopped.set()

    stream = newest_per_key(changes(), row)
    await queue.put(("a", 1))
    assert await anext(stream) == ("a", 1)

    await stream.aclose()  # the client went away

    async with asyncio.timeout(5):
        await stopped.wait()
