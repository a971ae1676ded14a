"""The Logs graph's buckets: a graph left open keeps showing its range, not all it has seen."""

from __future__ import annotations

from clustergenie_gui.client.logs_types import StatsSeries, StatsUpdate
from clustergenie_gui.models.log_stats_buffer import LogStatsBuffer

T0 = 1_800_000_000.0


def _update(start: float, values: list[float], level: str = "info") -> StatsUpdate:
    return StatsUpdate(start, 10.0, (StatsSeries({"level": level}, tuple(values)),), True)


def test_live_buckets_beyond_the_range_are_let_go() -> None:
    buffer = LogStatsBuffer()
    buffer.window_seconds = 600.0
    buffer.apply(_update(T0, [1.0] * 60))  # the complete window: ten minutes of 10 s buckets
    for i in range(150):  # 25 more minutes of live buckets, one at a time
        buffer.apply(_update(T0 + 600 + 10 * i, [float(i)]))
    times = buffer.times()
    assert times[-1] == T0 + 600 + 10 * 149  # the newest is kept ...
    assert times[-1] - times[0] <= 610  # ... and the graph still spans its ten minutes
    assert buffer.per_second("info")[-1] == 14.9


def test_without_a_range_everything_up_to_the_cap_is_kept() -> None:
    buffer = LogStatsBuffer()
    buffer.apply(_update(T0, [1.0] * 60))
    buffer.apply(_update(T0 + 600, [2.0] * 60))
    assert len(buffer.times()) == 120
