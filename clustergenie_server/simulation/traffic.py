"""Offered traffic of each cluster: a daily shape, noise, occasional bursts and spikes.

A cluster's tags may steer it: `rps:N` sets its mean requests/s, `traffic:flat` turns off the
daily shape, the noise and the bursts (demos and tests that need a steady load).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DAY = 86_400.0
PEAK_HOUR = 15.0  # UTC hour of the daily peak
DAILY_SWING = 0.35  # peak is 1 + swing, trough 1 - swing times the mean
WEEKEND_FACTOR = 0.8
NOISE_KEEP = 0.9  # AR(1) coefficient per tick: noise wanders instead of jittering
NOISE_SIGMA = 0.03
BURST_HALF_LIFE = 120.0  # simulated seconds


@dataclass(frozen=True, slots=True)
class TrafficProfile:
    """How one cluster's traffic behaves."""

    mean_rps: float
    flat: bool = False


def profile_from_tags(seed: int, cluster_id: int, tags: Sequence[str]) -> TrafficProfile:
    """The cluster's profile: from its tags, else a mean drawn from the seed and its id."""
    mean: float | None = None
    flat = False
    for tag in tags:
        key, _, value = tag.partition(":")
        if key == "rps":
            try:
                mean = max(0.0, float(value))
            except ValueError:
                continue
        elif key == "traffic" and value == "flat":
            flat = True
    if mean is None:
        mean = float(np.random.default_rng([seed, cluster_id]).uniform(150.0, 450.0))
    return TrafficProfile(mean, flat)


def daily_shape(t: float) -> float:
    """The share of the mean that arrives at simulated time t (a day's curve, quieter weekends)."""
    hour = (t % DAY) / 3600.0
    shape = 1.0 + DAILY_SWING * math.cos(2 * math.pi * (hour - PEAK_HOUR) / 24.0)
    weekday = (int(t // DAY) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    return shape * (WEEKEND_FACTOR if weekday >= 5 else 1.0)


class TrafficModel:
    """Steps every cluster's offered requests/s, tick by tick, from one seeded generator."""

    def __init__(self, seed: int, *, bursts_per_day: float, tick_seconds: float) -> None:
        self._rng = np.random.default_rng([seed, 0x7A5])
        self._burst_chance = bursts_per_day * tick_seconds / DAY
        self._noise: dict[int, float] = {}
        self._burst: dict[int, float] = {}

    def offered(
        self, cluster_id: int, profile: TrafficProfile, t: float, dt: float, spike: float
    ) -> float:
        """Requests/s arriving at the cluster at t; `spike` multiplies it (traffic spikes)."""
        if profile.flat:
            return profile.mean_rps * spike
        noise = self._noise.get(cluster_id, 0.0) * NOISE_KEEP + self._rng.normal(0, NOISE_SIGMA)
        self._noise[cluster_id] = noise
        burst = self._burst.get(cluster_id, 0.0) * 0.5 ** (dt / BURST_HALF_LIFE)
        if self._rng.random() < self._burst_chance:
            burst += self._rng.uniform(0.5, 1.5)
        self._burst[cluster_id] = burst
        return profile.mean_rps * daily_shape(t) * math.exp(noise) * (1.0 + burst) * spike

    def forget(self, keep: set[int]) -> None:
        """Drop the state of clusters that are gone."""
        for state in (self._noise, self._burst):
            for cluster_id in set(state) - keep:
                del state[cluster_id]
