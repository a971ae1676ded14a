"""SimClock's conversions between wall-clock and simulated times."""

from __future__ import annotations

import pytest

from clustergenie_server.simulation.clock import SimClock


class _Clocks:
    def __init__(self) -> None:
        self.monotonic, self.wall = 100.0, 1_700_000_000.0

    def advance(self, seconds: float) -> None:
        self.monotonic += seconds
        self.wall += seconds


def test_a_wall_time_maps_to_the_simulated_time_it_happened_at() -> None:
    clocks = _Clocks()
    clock = SimClock(60.0, origin=2_000_000_000.0, monotonic=lambda: clocks.monotonic,
                     wall=lambda: clocks.wall)  # fmt: skip
    happened = clocks.wall + 5.0  # 5 wall seconds after the start
    clocks.advance(10.0)
    # 10 wall seconds are 600 simulated: the event, 5 wall seconds in, was at +300 simulated.
    assert clock.now() == pytest.approx(2_000_000_600.0)
    assert clock.simulated_at(happened) == pytest.approx(2_000_000_300.0)
    assert clock.wall_at(2_000_000_300.0) == pytest.approx(happened)


def test_the_conversions_are_inverse_at_any_scale() -> None:
    clocks = _Clocks()
    clock = SimClock(3.5, monotonic=lambda: clocks.monotonic, wall=lambda: clocks.wall)
    clocks.advance(42.0)
    for sim in (clock.now(), clock.now() - 1000.0, clock.now() + 7.0):
        assert clock.simulated_at(clock.wall_at(sim)) == pytest.approx(sim)
