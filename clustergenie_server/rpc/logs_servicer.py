"""LogService over gRPC: thin; the streams live in the service."""

from __future__ import annotations

from collections.abc import AsyncIterator

from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.api.v1 import logs_pb2_grpc
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.patterns import MAX_LINES_MINED
from clustergenie_server.wire import logs_convert as lc

DEFAULT_LIMIT = 1000
DEFAULT_STEP = 60.0
SEARCH_PAGE = 500


class LogsServicer(logs_pb2_grpc.LogServiceServicer):
    """Each method translates, calls the service, translates back."""

    def __init__(self, logs: LogService) -> None:
        self._logs = logs

    async def TailLogs(
        self, request: pb.TailLogsRequest, context: Context
    ) -> AsyncIterator[pb.TailLogsResponse]:
        sent = lc.StreamsSent()
        since = request.since or None
        async for batch in self._logs.tail(
            request.query, since, request.replay_limit or DEFAULT_LIMIT
        ):
            if not batch:
                yield pb.TailLogsResponse(replay_complete=True)
                continue
            for message in lc.tail_responses(batch, sent):
                yield message

    async def SearchLogs(
        self, request: pb.SearchLogsRequest, context: Context
    ) -> AsyncIterator[pb.SearchLogsResponse]:
        sent = lc.StreamsSent()
        before = (request.before_time, request.before_seq) if request.before_time else None
        async for page in self._logs.search(
            request.query,
            request.start,
            request.end or self._logs.now(),
            request.limit or DEFAULT_LIMIT,
            before,
        ):
            streams, entries = sent.entries(page)
            yield pb.SearchLogsResponse(streams=streams, entries=entries)
        yield pb.SearchLogsResponse(done=True)

    async def LogStats(
        self, request: pb.LogStatsRequest, context: Context
    ) -> AsyncIterator[pb.LogStatsResponse]:
        async for update in self._logs.stats(
            request.query,
            request.start,
            request.end or None,
            request.step_seconds or DEFAULT_STEP,
            live=request.live,
        ):
            yield lc.stats_to_proto(update)

    async def LogPatterns(
        self, request: pb.LogPatternsRequest, context: Context
    ) -> pb.LogPatternsResponse:
        end = request.end or self._logs.now()
        since = request.since or request.start + 0.75 * (end - request.start)
        if request.limit < 0:
            raise InvalidArgument("limit must be 0 (50) or more")
        patterns = await self._logs.pattern_counts(
            request.query,
            request.start,
            end,
            since,
            min(request.limit or 50, MAX_LINES_MINED),
            spread=True,  # a person reads "first seen": sampled over the window's time
        )
        return pb.LogPatternsResponse(patterns=[lc.pattern_to_proto(p) for p in patterns])

    async def IngestLogs(
        self, requests: AsyncIterator[pb.IngestLogsRequest], context: Context
    ) -> AsyncIterator[pb.IngestLogsAck]:
        async for request in requests:
            # Back-pressure: the next batch is read only when the pipeline has room.
            await self._logs.pipeline.room()
            result = self._logs.ingest_rows(lc.entry_rows(request), source="grpc")
            yield lc.ack_to_proto(request.batch_id, result)

    async def ListLogLabels(
        self, request: pb.ListLogLabelsRequest, context: Context
    ) -> pb.ListLogLabelsResponse:
        return lc.labels_to_proto(self._logs.labels())
