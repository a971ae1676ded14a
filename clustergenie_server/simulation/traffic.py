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
    """Steps every cluster's offered requests/s, tick by tick, from one seeded generator.

    Vectorised over the clusters: one tick of 2,000 clusters cost ~6 ms as a Python loop, on the
    event loop that also serves the streams.
    """

    def __init__(self, seed: int, *, bursts_per_day: float, tick_seconds: float) -> None:
        self._rng = np.random.default_rng([seed, 0x7A5])
        self._burst_chance = bursts_per_day * tick_seconds / DAY
        self._ids = np.zeros(0, np.int64)
        self._means = np.zeros(0)
        self._flat = np.zeros(0, bool)
        self._noise = np.zeros(0)
        self._burst = np.zeros(0)

    def set_clusters(self, cluster_ids: np.ndarray, profiles: Sequence[TrafficProfile]) -> None:
        """Follow these clusters (with their profiles, in the same order) from now on; those
        that stay keep their state."""
        held = {cluster_id: i for i, cluster_id in enumerate(self._ids.tolist())}
        pos = np.array([held.get(c, -1) for c in cluster_ids.tolist()], np.int64)
        kept = pos >= 0
        noise, burst = np.zeros(len(pos)), np.zeros(len(pos))
        noise[kept], burst[kept] = self._noise[pos[kept]], self._burst[pos[kept]]
        self._ids, self._noise, self._burst = np.array(cluster_ids, np.int64), noise, burst
        self._means = np.fromiter((p.mean_rps for p in profiles), float, len(pos))
        self._flat = np.fromiter((p.flat for p in profiles), bool, len(pos))

    def offered(self, t: float, dt: float, spike: np.ndarray) -> np.ndarray:
        """Requests/s arriving at each cluster (set_clusters' order) at t; `spike` multiplies
        them (traffic spikes)."""
        m, means, flat = len(self._ids), self._means, self._flat
        noise = self._noise * NOISE_KEEP + self._rng.normal(0, NOISE_SIGMA, m)
        burst = self._burst * 0.5 ** (dt / BURST_HALF_LIFE)
        hits = self._rng.random(m) < self._burst_chance
        burst[hits] += self._rng.uniform(0.5, 1.5, int(hits.sum()))
        # A flat cluster keeps no noise or burst: it is steady by request.
        self._noise, self._burst = np.where(flat, 0.0, noise), np.where(flat, 0.0, burst)
        varied = means * daily_shape(t) * np.exp(self._noise) * (1.0 + self._burst)
        offered: np.ndarray = np.where(flat, means, varied) * spike
        return offered
