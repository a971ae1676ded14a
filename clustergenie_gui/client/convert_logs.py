"""Logs: protobuf <-> the client's plain types."""

from __future__ import annotations

from clustergenie_gui.client import logs_types as lt
from clustergenie_server.api.v1 import logs_pb2 as pb


class StreamLabels:
    """The label sets one call has received, by stream id."""

    def __init__(self) -> None:
        self._labels: dict[int, dict[str, str]] = {}

    def rows(self, streams: list[pb.LogStream], entries: list[pb.LogEntry]) -> list[lt.LogRow]:
        """Entries as rows, after learning the streams sent with them."""
        for s in streams:
            self._labels[s.id] = dict(s.labels)
        labels = self._labels
        return [
            lt.LogRow(e.time, labels.get(e.stream_id, {}), e.line, e.count, e.seq) for e in entries
        ]


def tail_items(
    message: pb.TailLogsResponse, labels: StreamLabels
) -> list[lt.LogRow | lt.GapRow | lt.ReplayComplete]:
    """The items of one tail message."""
    if message.replay_complete:
        return [lt.ReplayComplete()]
    if message.HasField("gap"):
        g = message.gap
        return [lt.GapRow(g.time, g.missed, g.reason)]
    return list(labels.rows(list(message.streams), list(message.entries)))


def stats_from_pb(m: pb.LogStatsResponse) -> lt.StatsUpdate:
    """A stats update."""
    return lt.StatsUpdate(
        m.start,
        m.step_seconds,
        tuple(lt.StatsSeries(dict(s.labels), tuple(s.values)) for s in m.series),
        m.complete,
    )


def pattern_from_pb(p: pb.LogPattern) -> lt.LogPattern:
    """A pattern."""
    return lt.LogPattern(p.template, p.count, p.first_seen, p.last_seen, p.example, p.is_new)
