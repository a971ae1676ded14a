"""Ranking: one root cause with the symptoms it explains (time order, topology, correlation),
and an honest "no root cause found" that says what was checked."""

from __future__ import annotations

from clustergenie_server.domain.diagnosis import Finding, FindingKind, Severity, Target
from clustergenie_server.services.diagnosis.ranking import describe, rank

K = FindingKind
CLUSTER = Target(1, 0, "web")
D1, D2 = Target(1, 11, "web-1"), Target(1, 12, "web-2")


def f(kind: FindingKind, target: Target, at: float, sev: Severity = Severity.WARNING) -> Finding:
    """A finding that began at `at`."""
    return Finding(kind, target, sev, 0.9, at, f"{kind.value} on {target.name} at {at:g}")


def test_a_leak_explains_the_crashes_it_causes_and_the_cluster_s_latency() -> None:
    leak = f(K.MEMORY_LEAK, D1, 100, Severity.CRITICAL)
    crash = f(K.CRASH_LOOP, D1, 400)  # OOM restarts look like a crash loop
    slo = f(K.LATENCY_SLO_BREACH, CLUSTER, 420)
    a = rank([crash, slo, leak], ["memory"], (0, 1000))
    assert a.root is not None
    assert a.root.cause is leak
    assert set(map(id, a.root.symptoms)) == {id(crash), id(slo)}
    assert [rc.cause for rc in a.causes] == [leak]
    assert describe(a).startswith(leak.summary)


def test_a_symptom_that_began_before_a_cause_is_not_explained_by_it() -> None:
    early = f(K.ERROR_RATE_SPIKE, D2, 10)
    later = f(K.CPU_HOG, D2, 500)
    a = rank([early, later], [], (0, 1000))
    assert a.root is not None
    assert a.root.symptoms == ()
    assert a.unexplained == (early,)


def test_two_causes_on_different_droplets_are_both_ranked() -> None:
    a = rank([f(K.DISK_FILLING, D1, 50), f(K.NETWORK_PARTITION, D2, 60, Severity.CRITICAL)],
             [], (0, 1000))  # fmt: skip
    assert [(rc.cause.kind, rc.cause.target) for rc in a.causes] == [
        (K.NETWORK_PARTITION, D2),
        (K.DISK_FILLING, D1),
    ]


def test_no_root_cause_found_says_what_was_checked_and_seen() -> None:
    a = rank([f(K.LATENCY_SLO_BREACH, CLUSTER, 5)], ["CPU", "memory growth"], (0, 3600))
    assert a.root is None
    text = describe(a)
    assert text.startswith("No root cause found between 00:00 and 01:00")
    assert "Checked: CPU, memory growth" in text
    assert "latency_slo_breach on web" in text
