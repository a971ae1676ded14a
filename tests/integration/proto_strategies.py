"""Hypothesis strategies derived from protobuf descriptors: random and boundary messages."""

from __future__ import annotations

import math
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass
from hypothesis import strategies as st

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# Small positive ids hit rows that exist (the test creates a few); the rest are edges.
_ID_LIKE = st.sampled_from([0, 1, 2, 3, 5, 10, -1])
_DOUBLE_EDGES = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, 1e308, -1e308, math.inf, -math.inf, math.nan, 3600.0]
)
# Values the server knows, so that some requests get past validation into deeper code.
_KNOWN_WORDS = [
    "web",
    "web-1",
    "nyc1",
    "ams3",
    "s-1vcpu-1gb",
    "s-2vcpu-4gb",
    "ubuntu-24-04-x64",
    "env:prod",
]
_STRING_EDGES = st.sampled_from(
    [
        "",
        " ",
        "a" * 64,
        "x" * 100_000,  # far past every documented length limit
        "\x00",
        "a\x00b",
        "\n\t\r",
        "\u202e\u200bé漢字🚀",
        "\ud7ff\ue000",
        "'; DROP TABLE clusters; --",
        "%s%n{0}",
        "-",
        *_KNOWN_WORDS,
    ]
)
_MAX_DEPTH = 3
# Plausible values by field name, so that whole requests sometimes pass validation and reach
# the code behind it (a random region, size and image are almost never all valid at once).
HINTS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.sampled_from(["fz", "fz-a", "fz-b", "seed", "web-1"]),
    "region": st.sampled_from(["nyc1", "ams3", "nyc2"]),
    "size": st.sampled_from(["s-1vcpu-1gb", "s-2vcpu-4gb", "s-1vcpu-512mb-10gb"]),
    "image": st.sampled_from(["ubuntu-24-04-x64", "debian-12-x64"]),
    "tags": st.lists(st.sampled_from(["prod", "env:dev", "a.b_c-d"]), max_size=3),
    "droplet_count": st.integers(0, 3),
    "count": st.integers(1, 3),
    "target_count": st.integers(1, 4),
    "id": st.integers(1, 6),
    "cluster_id": st.integers(1, 3),
    "droplet_id": st.integers(0, 4),
    "limit": st.integers(0, 20),
    "snapshot_limit": st.integers(0, 20),
    "metrics": st.lists(st.integers(1, 13), min_size=1, max_size=3),
    "kind": st.integers(1, 8),
    "window_seconds": st.sampled_from([0.0, 60.0, 600.0]),
    "step_seconds": st.sampled_from([0.0, 10.0, 60.0]),
    "backfill_seconds": st.sampled_from([0.0, 30.0]),
    "magnitude": st.sampled_from([0.0, 0.5]),
    "duration_seconds": st.sampled_from([0.0, 60.0]),
    "metric": st.integers(1, 3),
    "target": st.sampled_from([50.0, 0.5, 100.0]),
    "min_droplets": st.integers(1, 2),
    "max_droplets": st.integers(2, 5),
    "tolerance": st.sampled_from([0.0, 0.1]),
    "stabilization_window_seconds": st.sampled_from([0.0, 300.0]),
    "value": st.integers(1, 4),
    "period_seconds": st.sampled_from([15.0, 60.0]),
    "start_hour": st.integers(0, 23),
    "end_hour": st.integers(1, 24),
    "weekdays": st.lists(st.integers(1, 7), max_size=3),
}


def _int(bounds: tuple[int, int]) -> st.SearchStrategy[int]:
    low, high = bounds
    edges = st.sampled_from([low, low + 1, high - 1, high, 1000, 1001, 10_000])
    return st.one_of(_ID_LIKE, edges, st.integers(low, high))


def _enum(field: FieldDescriptor) -> st.SearchStrategy[int]:
    assert field.enum_type is not None  # an enum field
    known = [v.number for v in field.enum_type.values]
    # Proto3 enums are open: an unknown number arrives as it was sent.
    unknown = st.sampled_from([max(known) + 1, 99, -1, INT32[0], INT32[1]])
    return st.one_of(st.sampled_from(known), unknown)


def _scalar(field: FieldDescriptor) -> st.SearchStrategy[Any]:
    t = field.type
    if t in (
        FieldDescriptor.TYPE_INT32,
        FieldDescriptor.TYPE_SINT32,
        FieldDescriptor.TYPE_SFIXED32,
    ):
        return _int(INT32)
    if t in (
        FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_SINT64,
        FieldDescriptor.TYPE_SFIXED64,
    ):
        return _int(INT64)
    if t in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_FIXED32):
        return _int((0, 2**32 - 1))
    if t in (FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64):
        return _int((0, 2**64 - 1))
    if t in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return st.one_of(_DOUBLE_EDGES, st.floats(allow_nan=True, allow_infinity=True, width=32))
    if t == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if t == FieldDescriptor.TYPE_STRING:
        return st.one_of(_STRING_EDGES, st.text(max_size=80))
    if t == FieldDescriptor.TYPE_BYTES:
        return st.one_of(st.just(b""), st.binary(max_size=64), st.just(b"\xff" * 100_000))
    if t == FieldDescriptor.TYPE_ENUM:
        return _enum(field)
    raise NotImplementedError(f"no strategy for field {field.full_name} of type {t}")


def _value(field: FieldDescriptor, depth: int) -> st.SearchStrategy[Any]:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        assert field.message_type is not None  # a message field
        return messages(field.message_type, depth + 1)
    return _scalar(field)


def _repeated(field: FieldDescriptor, depth: int) -> st.SearchStrategy[list[Any]]:
    item = _value(field, depth)
    # Mostly short lists; sometimes far more items than any limit allows.
    many = st.integers(200, 2000).flatmap(lambda n: st.lists(item, min_size=n, max_size=n))
    return st.one_of(st.lists(item, max_size=4), many) if depth == 0 else st.lists(item, max_size=3)


def _set_field(message: Message, field: FieldDescriptor, value: Any) -> None:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        target = getattr(message, field.name)
        for entry in value:
            key = entry.key
            if field.message_type.fields_by_name["value"].message_type is not None:
                target[key].CopyFrom(entry.value)
            else:
                target[key] = entry.value
    elif field.is_repeated:
        getattr(message, field.name).extend(value)
    elif field.type == FieldDescriptor.TYPE_MESSAGE:
        getattr(message, field.name).CopyFrom(value)
    else:
        setattr(message, field.name, value)


def messages(descriptor: Descriptor, depth: int = 0) -> st.SearchStrategy[Message]:
    """Messages of descriptor's type with each field left out, set to an edge, or random."""
    cls = GetMessageClass(descriptor)
    if depth > _MAX_DEPTH or not descriptor.fields:
        return st.just(cls())

    @st.composite
    def build(draw: st.DrawFn) -> Message:
        message = cls()
        map_entry = descriptor.GetOptions().map_entry
        plausible = draw(st.booleans())  # mostly sensible values, or wild ones throughout
        for field in descriptor.fields:
            if not draw(st.integers(0, 9)) < (8 if plausible else 5):
                continue  # unset: the default (or "not present" for optional fields)
            # Not in map entries: their key/value fields take the map's types, not the hints'.
            hint = HINTS.get(field.name) if plausible and not map_entry else None
            if hint is not None and draw(st.integers(0, 9)) < 8:
                value = draw(hint)
                try:
                    _set_field(message, field, value)
                    continue
                except TypeError:
                    pass  # a hint for another message's field of that name and another type
            if field.is_repeated:
                value = draw(_repeated(field, depth))
            else:
                value = draw(_value(field, depth))
            _set_field(message, field, value)
        return message

    return build()
