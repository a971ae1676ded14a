"""Loki's protobuf push body (logproto.PushRequest, as Promtail and Alloy send it) as plain
streams for the Loki push endpoint: each stream's label text as sent, its entries' times, lines
and structured metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from google.protobuf.message import DecodeError

from clustergenie_server.api.loki import push_pb2

_NO_METADATA: Mapping[str, str] = {}


@dataclass(frozen=True, slots=True)
class PushedEntry:
    """One line of a push: Unix nanoseconds (0: the sender gave no time), text, metadata."""

    nanos: int
    line: str
    metadata: Mapping[str, str]  # structured metadata (empty: none)


@dataclass(frozen=True, slots=True)
class PushedStream:
    """The entries of one stream, its labels as the sender wrote them (`{job="varlogs"}`)."""

    labels: str
    entries: list[PushedEntry]


def decode_push(body: bytes) -> list[PushedStream]:
    """The streams of a serialized PushRequest (already decompressed); ValueError when the
    bytes are not one."""
    request = push_pb2.PushRequest()
    try:
        request.ParseFromString(body)
    except DecodeError as exc:
        raise ValueError(
            f"the body is not a protobuf logproto.PushRequest ({exc}); send Loki's push schema "
            "serialized, then snappy-compressed"
        ) from None
    return [
        PushedStream(
            s.labels,
            [
                PushedEntry(
                    e.timestamp.seconds * 1_000_000_000 + e.timestamp.nanos,
                    e.line,
                    {p.name: p.value for p in e.structuredMetadata}
                    if e.structuredMetadata
                    else _NO_METADATA,
                )
                for e in s.entries
            ],
        )
        for s in request.streams
    ]
