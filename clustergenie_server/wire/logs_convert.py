"""Logs: domain <-> protobuf (lines with their streams sent once per call, gaps, stats)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.domain.logs import (
    Entry,
    Gap,
    IngestResult,
    LogLine,
    Pattern,
    StatsUpdate,
    Stream,
)


class StreamsSent:
    """The streams one call has sent; a response carries the new ones with its entries."""

    def __init__(self) -> None:
        self._sent: set[int] = set()

    def entries(self, lines: Iterable[LogLine]) -> tuple[list[pb.LogStream], list[pb.LogEntry]]:
        """The lines as entries, and the streams among them not sent yet."""
        streams: list[pb.LogStream] = []
        entries: list[pb.LogEntry] = []
        sent = self._sent
        for x in lines:
            sid = x.stream.id
            if sid not in sent:
                sent.add(sid)
                streams.append(pb.LogStream(id=sid, labels=x.stream.labels))
            entries.append(
                pb.LogEntry(time=x.t, stream_id=sid, line=x.line, count=x.count, seq=x.seq)
            )
        return streams, entries


def lines_from_proto(
    streams: Iterable[pb.LogStream], entries: Iterable[pb.LogEntry]
) -> list[LogLine]:
    """Entries as lines of their streams (ValueError for an entry whose stream is missing).

    Stream ids are recomputed from the labels (a hash every server computes alike), never
    trusted from the message."""
    by_id = {s.id: Stream.of(dict(s.labels)) for s in streams}
    try:
        return [LogLine(e.time, by_id[e.stream_id], e.line, e.count, e.seq) for e in entries]
    except KeyError as exc:
        raise ValueError(f"an entry refers to stream {exc.args[0]}, which was not sent") from exc


def gap_to_proto(gap: Gap) -> pb.LogGap:
    """A gap marker."""
    return pb.LogGap(missed=gap.missed, time=gap.t, reason=gap.reason)


def tail_responses(batch: Sequence[LogLine | Gap], sent: StreamsSent) -> list[pb.TailLogsResponse]:
    """A batch as messages: runs of lines, and each gap on a message of its own, in order."""
    out: list[pb.TailLogsResponse] = []
    run: list[LogLine] = []
    for item in batch:
        if isinstance(item, Gap):
            if run:
                streams, entries = sent.entries(run)
                out.append(pb.TailLogsResponse(streams=streams, entries=entries))
                run = []
            out.append(pb.TailLogsResponse(gap=gap_to_proto(item)))
        else:
            run.append(item)
    if run:
        streams, entries = sent.entries(run)
        out.append(pb.TailLogsResponse(streams=streams, entries=entries))
    return out


def stats_to_proto(update: StatsUpdate) -> pb.LogStatsResponse:
    """A stats update."""
    return pb.LogStatsResponse(
        start=update.start,
        step_seconds=update.step,
        complete=update.complete,
        series=[pb.LogSeries(labels=dict(s.labels), values=list(s.values)) for s in update.series],
    )


def pattern_to_proto(p: Pattern) -> pb.LogPattern:
    """A pattern."""
    return pb.LogPattern(
        template=p.template, count=p.count, first_seen=p.first_seen, last_seen=p.last_seen,
        example=p.example, is_new=p.new,
    )  # fmt: skip


def entries_from_proto(entries: Iterable[pb.IngestEntry]) -> list[Entry]:
    """Ingested entries (time 0: when received)."""
    return [Entry(dict(e.labels), e.line, e.time or None) for e in entries]


def entry_rows(
    request: pb.IngestLogsRequest,
) -> Iterator[tuple[Mapping[str, str], str, float | None]]:
    """A batch's lines as (labels, line, time) rows, without an object per line; the lines of
    a stream share one labels object (ingest checks a label set once per run of it)."""
    for e in request.entries:
        yield e.labels, e.line, e.time
    for s in request.streams:
        labels = dict(s.labels)
        for x in s.lines:
            yield labels, x.line, x.time


def ack_to_proto(batch_id: int, result: IngestResult) -> pb.IngestLogsAck:
    """A batch's acknowledgement."""
    return pb.IngestLogsAck(
        batch_id=batch_id, accepted=result.accepted, rejected=result.rejected,
        errors=result.errors,
    )  # fmt: skip


def labels_to_proto(labels: Mapping[str, Sequence[str]]) -> pb.ListLogLabelsResponse:
    """Label names and values."""
    return pb.ListLogLabelsResponse(
        labels=[pb.LabelValues(name=k, values=list(v)) for k, v in labels.items()]
    )
