"""LogsClient: the LogService RPCs (tail, search, stats, patterns, labels) over the client's
channel. Qt-free; streams are async iterators and end (cancelling the call) when closed."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Protocol

import grpc

from clustergenie_gui.client import convert_logs as cl
from clustergenie_gui.client import logs_types as lt
from clustergenie_gui.client.client import ClientError, ClusterGenieClient
from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.api.v1 import logs_pb2_grpc

SEARCH_DEADLINE_SECONDS = 60.0  # a search of a big window streams pages for up to this


class LogsApi(Protocol):
    """What the Logs view-model asks of a client; LogsClient is the real one."""

    def tail(
        self, query: str, since: float = 0.0, replay_limit: int = 1000
    ) -> AsyncIterator[list[lt.LogRow | lt.GapRow | lt.ReplayComplete]]:
        """Batches of tail items (rows, gaps, the end of the replay) as they come."""
        ...

    def search(
        self,
        query: str,
        start: float,
        end: float,
        limit: int = 500,
        before: tuple[float, int] | None = None,
    ) -> AsyncIterator[list[lt.LogRow]]:
        """Pages of matching lines, newest first."""
        ...

    def stats(
        self, query: str, start: float, step: float, *, live: bool = True, end: float = 0.0
    ) -> AsyncIterator[lt.StatsUpdate]:
        """Counts per level per bucket, then live updates."""
        ...

    async def patterns(
        self, query: str, start: float, end: float, since: float = 0.0, limit: int = 50
    ) -> list[lt.LogPattern]:
        """Top templates of a window."""
        ...

    async def labels(self) -> dict[str, list[str]]:
        """Label names and their values, for completion."""
        ...

    async def now(self) -> float:
        """The simulated time now."""
        ...


class LogsClient:
    """The Logs calls of one ClusterGenieClient (a stub per channel)."""

    def __init__(self, client: ClusterGenieClient) -> None:
        self._client = client
        self._channel: grpc.aio.Channel | None = None
        self._stub: logs_pb2_grpc.LogServiceStub | None = None

    def _logs(self) -> logs_pb2_grpc.LogServiceStub:
        channel = self._client.require_channel()
        if self._stub is None or channel is not self._channel:
            self._channel, self._stub = channel, logs_pb2_grpc.LogServiceStub(channel)
        return self._stub

    async def tail(
        self, query: str, since: float = 0.0, replay_limit: int = 1000
    ) -> AsyncIterator[list[lt.LogRow | lt.GapRow | lt.ReplayComplete]]:
        """Batches of tail items (rows, gaps, the end of the replay) as they come."""
        call = self._logs().TailLogs(
            pb.TailLogsRequest(query=query, since=since, replay_limit=replay_limit)
        )
        labels = cl.StreamLabels()
        try:
            async for message in call:
                yield cl.tail_items(message, labels)
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error
        finally:
            call.cancel()

    async def search(
        self,
        query: str,
        start: float,
        end: float,
        limit: int = 500,
        before: tuple[float, int] | None = None,
    ) -> AsyncIterator[list[lt.LogRow]]:
        """Pages of matching lines, newest first."""
        request = pb.SearchLogsRequest(query=query, start=start, end=end, limit=limit)
        if before is not None:
            request.before_time, request.before_seq = before
        call = self._logs().SearchLogs(request, timeout=SEARCH_DEADLINE_SECONDS)
        labels = cl.StreamLabels()
        try:
            async for message in call:
                if message.entries:
                    yield labels.rows(list(message.streams), list(message.entries))
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error
        finally:
            call.cancel()

    async def stats(
        self, query: str, start: float, step: float, *, live: bool = True, end: float = 0.0
    ) -> AsyncIterator[lt.StatsUpdate]:
        """Counts per level per bucket, then live updates."""
        call = self._logs().LogStats(
            pb.LogStatsRequest(query=query, start=start, end=end, step_seconds=step, live=live)
        )
        try:
            async for message in call:
                yield cl.stats_from_pb(message)
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error
        finally:
            call.cancel()

    async def patterns(
        self, query: str, start: float, end: float, since: float = 0.0, limit: int = 50
    ) -> list[lt.LogPattern]:
        """Top templates of a window."""
        request = pb.LogPatternsRequest(query=query, start=start, end=end, since=since, limit=limit)
        try:
            response = await self._logs().LogPatterns(request, timeout=SEARCH_DEADLINE_SECONDS)
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error
        return [cl.pattern_from_pb(p) for p in response.patterns]

    async def labels(self) -> dict[str, list[str]]:
        """Label names and their values, for completion."""
        try:
            response = await self._logs().ListLogLabels(
                pb.ListLogLabelsRequest(), timeout=self._client.unary_timeout
            )
        except grpc.aio.AioRpcError as error:
            raise ClientError.from_rpc(error) from error
        return {lv.name: list(lv.values) for lv in response.labels}

    async def now(self) -> float:
        """The simulated time now."""
        clock = await self._client.get_clock()
        return clock.now.timestamp() if clock.now is not None else time.time()
