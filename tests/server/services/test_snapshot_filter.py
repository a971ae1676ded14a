"""A watch stream never sends a row older than the version it sent already."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clustergenie_server.services.shared.snapshot_filter import SnapshotFilter

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_change_older_than_the_snapshot_row_is_dropped() -> None:
    seen = SnapshotFilter()
    seen.remember(7, T0)

    assert not seen.is_newer(7, T0 - timedelta(seconds=1))
    assert seen.is_newer(7, T0)  # the same version again is harmless (an upsert)
    assert seen.is_newer(8, T0 - timedelta(days=1))  # a row the snapshot did not have


def test_events_of_two_servers_arriving_out_of_order_keep_the_newest() -> None:
    # B's "running" (t+2) arrives before A's "queued" (t+1): the stream must stay at running.
    seen = SnapshotFilter()
    seen.remember(1, T0)

    arrivals = [T0 + timedelta(seconds=2), T0 + timedelta(seconds=1), T0 + timedelta(seconds=3)]
    sent = [t for t in arrivals if seen.is_newer(1, t)]

    assert sent == [T0 + timedelta(seconds=2), T0 + timedelta(seconds=3)]


def test_memory_is_bounded_by_forgetting_the_least_recent_rows() -> None:
    seen = SnapshotFilter(capacity=2)
    for key in (1, 2, 3):
        seen.remember(key, T0)

    assert seen.is_newer(1, T0 - timedelta(seconds=1))  # forgotten: let through
    assert not seen.is_newer(3, T0 - timedelta(seconds=1))


def test_a_row_without_a_time_is_always_sent() -> None:
    seen = SnapshotFilter()
    seen.remember(1, T0)

    assert seen.is_newer(1, None)
    assert seen.is_newer(1, T0 - timedelta(seconds=1))  # after an unordered version: no basis
