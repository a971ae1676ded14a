"""The accuracy matrix: every fault kind on a random droplet (the cluster for traffic) under
several seeds, cluster sizes, traffic shapes and magnitudes, diagnosed from what an operator
sees. Prints its confusion matrix (run with -s to see it)."""

from __future__ import annotations

import collections
import sys

import numpy as np
import pytest

from clustergenie_server.domain.diagnosis import Analysis, Severity
from clustergenie_server.domain.telemetry import FaultKind
from clustergenie_server.services.diagnosis.analyzers import analyze
from clustergenie_server.services.diagnosis.ranking import rank
from tests.server.diagnosis.scenarios import Injection, Scenario, run

pytestmark = pytest.mark.slow

SEEDS = (11, 12, 13)
SIZES = (1, 3, 8)
MAGNITUDES = {
    FaultKind.CPU_HOG: (0.15, 0.4, 0.8),
    FaultKind.MEMORY_LEAK: (0.3, 1.0, 3.0),
    FaultKind.DISK_FILL: (0.2, 1.0, 4.0),
    FaultKind.NETWORK_LATENCY: (40.0, 200.0, 1000.0),
    FaultKind.NETWORK_PARTITION: (1.0,),
    FaultKind.CRASH_LOOP: (30.0, 60.0, 180.0),
    FaultKind.BAD_DEPLOY: (0.05, 0.3, 0.8),
    FaultKind.TRAFFIC_SPIKE: (1.5, 3.0, 6.0),
}


def diagnose(s: Scenario) -> Analysis:
    """Simulate, then analyse and rank the window an operator would look at."""
    w = run(s)
    findings, checked = analyze(w)
    return rank(findings, checked, (w.since, w.until))


def report(title: str, confusion: collections.Counter[tuple[str, str]]) -> None:
    """Print a confusion matrix: injected kind (rows) against the top root cause's kind."""
    cols = sorted({c for _, c in confusion})
    rows = sorted({r for r, _ in confusion})
    width = max(len(c) for c in [*cols, *rows]) + 1
    out = [f"\n{title}", " " * width + "".join(c[:14].rjust(15) for c in cols)]
    for r in rows:
        out.append(r.ljust(width) + "".join(str(confusion[(r, c)]).rjust(15) for c in cols))
    sys.stdout.write("\n".join(out) + "\n")


def test_single_faults_name_the_right_kind_and_target() -> None:
    confusion: collections.Counter[tuple[str, str]] = collections.Counter()
    at1 = at3 = total = 0
    misses = []
    for kind, magnitudes in MAGNITUDES.items():
        for seed in SEEDS:
            for n in SIZES:
                for flat in (True, False):
                    for m in magnitudes:
                        rng = np.random.default_rng([seed, n, int(flat), int(m * 100)])
                        d = 0 if kind is FaultKind.TRAFFIC_SPIKE else int(rng.integers(1, n + 1))
                        wide = kind is FaultKind.BAD_DEPLOY and bool(rng.integers(2))
                        injection = Injection(kind, d, m, cluster_wide=wide)
                        analysis = diagnose(
                            Scenario(
                                seed, n, flat, float(rng.uniform(0.3, 0.6)), [injection],
                                after_minutes=float(rng.uniform(5, 15)),
                                mixed_sizes=bool(rng.integers(2)),
                                start_hour=float(rng.uniform(0, 24)),
                                cluster_wide_deploy=wide,
                            )
                        )  # fmt: skip
                        got = [(c.cause.kind, c.cause.target.droplet_id) for c in analysis.causes]
                        top = got[0][0].value if got else "none"
                        confusion[(kind.value, top)] += 1
                        total += 1
                        at1 += got[:1] == [injection.expected]
                        at3 += injection.expected in got[:3]
                        if got[:1] != [injection.expected]:
                            misses.append((kind.value, seed, n, flat, m, d, got[:3]))
    report(f"single faults: AC@1 {at1 / total:.1%}, AC@3 {at3 / total:.1%} of {total}", confusion)
    assert at1 / total >= 0.95, misses
    assert at3 / total >= 0.99, misses


def test_two_faults_on_different_droplets_are_both_in_the_top_three() -> None:
    kinds = [k for k in MAGNITUDES if k is not FaultKind.TRAFFIC_SPIKE]
    both = total = 0
    misses = []
    for seed in SEEDS:
        for n in (3, 6, 10):
            rng = np.random.default_rng([seed, n, 2])
            for first in kinds:
                second = kinds[int(rng.integers(len(kinds)))]
                d1, d2 = (int(x) for x in rng.choice(np.arange(1, n + 1), 2, replace=False))
                injections = [
                    Injection(
                        first, d1, MAGNITUDES[first][-2 if len(MAGNITUDES[first]) > 1 else 0]
                    ),
                    Injection(second, d2, MAGNITUDES[second][-1]),
                ]
                analysis = diagnose(
                    Scenario(
                        seed, n, bool(rng.integers(2)), float(rng.uniform(0.3, 0.55)), injections,
                        after_minutes=float(rng.uniform(6, 15)),
                        start_hour=float(rng.uniform(0, 24)),
                    )
                )  # fmt: skip
                got = [(c.cause.kind, c.cause.target.droplet_id) for c in analysis.causes][:3]
                total += 1
                if all(i.expected in got for i in injections):
                    both += 1
                else:
                    misses.append(([(i.kind.value, i.droplet_id) for i in injections], got))
    sys.stdout.write(f"\ntwo faults: both in the top three in {both / total:.1%} of {total}\n")
    assert both / total >= 0.90, misses


def test_a_healthy_cluster_yields_nothing_above_info() -> None:
    quiet = total = 0
    noisy = []
    for seed in range(20, 32):
        for n in (1, 2, 5, 12):
            for flat in (True, False):
                rng = np.random.default_rng([seed, n, int(flat)])
                analysis = diagnose(
                    Scenario(
                        seed, n, flat, float(rng.uniform(0.2, 0.65)),
                        mixed_sizes=bool(rng.integers(2)), start_hour=float(rng.uniform(0, 24)),
                    )
                )  # fmt: skip
                loud = [f.summary for f in analysis.findings if f.severity > Severity.INFO]
                total += 1
                quiet += not loud
                if loud:
                    noisy.append((seed, n, flat, loud))
    sys.stdout.write(f"\nhealthy: nothing above info in {quiet / total:.1%} of {total}\n")
    assert quiet / total >= 0.95, noisy
