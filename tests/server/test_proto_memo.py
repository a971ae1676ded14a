"""ProtoMemo: one conversion per object, however many streams ask for it."""

from __future__ import annotations

from clustergenie_server.rpc.proto_memo import ProtoMemo


class Thing:
    """Unhashable on purpose, like a domain dataclass with a dict field."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, value: int) -> None:
        self.value = value


def test_the_same_object_is_converted_once() -> None:
    calls: list[int] = []

    def convert(thing: Thing) -> str:
        calls.append(thing.value)
        return f"message {thing.value}"

    memo = ProtoMemo(convert)
    thing = Thing(7)

    assert [memo(thing) for _ in range(50)] == ["message 7"] * 50
    assert calls == [7]


def test_an_equal_but_different_object_is_converted_again() -> None:
    memo = ProtoMemo[Thing, int](lambda thing: thing.value)
    first, second = Thing(1), Thing(2)

    assert (memo(first), memo(second), memo(first)) == (1, 2, 1)


def test_the_oldest_entries_go_beyond_the_capacity() -> None:
    calls: list[int] = []
    memo = ProtoMemo[Thing, None](lambda thing: calls.append(thing.value), capacity=2)
    things = [Thing(i) for i in range(3)]

    for thing in things:
        memo(thing)
    memo(things[0])  # pushed out by the third: converted again

    assert calls == [0, 1, 2, 0]


def test_by_key_an_equal_object_shares_the_conversion_and_a_changed_one_does_not() -> None:
    calls: list[tuple[int, str]] = []

    def convert(row: tuple[int, str]) -> str:
        calls.append(row)
        return f"message {row}"

    memo = ProtoMemo(convert, key=lambda row: row[0])
    memo((7, "queued"))
    memo((7, "queued"))  # read again: an equal, new object
    memo((7, "running"))

    assert calls == [(7, "queued"), (7, "running")]
    assert memo((7, "running")) == "message (7, 'running')"
