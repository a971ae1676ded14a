"""Conditions, thresholds, quorum, maintenance windows and uptime arithmetic."""

from __future__ import annotations

import pytest

from clustergenie_server.domain.health import (
    CheckResult,
    HealthState,
    MaintenanceWindow,
    Outcome,
    Recurrence,
)
from clustergenie_server.services.health.conditions import Answer, ConditionError, evaluate, parse
from clustergenie_server.services.health.quorum import verdict
from clustergenie_server.services.health.thresholds import Tracker
from clustergenie_server.services.health.uptime import uptime


def result(
    at: float, outcome: Outcome = Outcome.PASS, location: str = "nyc1", ms: float = 10.0
) -> CheckResult:
    """A result at a time."""
    return CheckResult(1, "droplet:1", location, at, outcome, ms, outcome is not Outcome.FAIL)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("[STATUS] = 200", 10, "expected an operator"),
        ("[STATUS] == 200 && ", 17, "empty clause"),
        ("[STATUS] == ok", 13, "compares with a number"),
        ("[RESPONSE_TIME] < soon", 19, "not a number or a duration"),
        ("STATUS == 200", 1, "expected a placeholder"),
        ("[CERT_EXPIRY] > 72h && [NOPE] == 1", 25, "unknown placeholder [NOPE]"),
    ],
)
def test_parse_errors_give_the_column(text: str, column: int, words: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse(text)
    assert (caught.value.column, words in caught.value.message) == (column, True)


def test_conditions_say_which_failed_and_why() -> None:
    clauses = parse('[STATUS] == 200 && [RESPONSE_TIME] < 300 && [BODY].status == "ok"')
    ok = Answer(True, 200, b'{"status": "ok"}', 120.0)
    assert evaluate(clauses, ok) == (None, "")
    clause, why = evaluate(clauses, Answer(True, 503, b'{"status": "down"}', 500.0))
    assert clause is not None
    assert clause.text == "[STATUS] == 200"
    assert why == "[STATUS] was 503, wanted == 200"
    clause, why = evaluate(clauses, Answer(True, 200, b'{"status": "ok"}', 450.0))
    assert clause is not None
    assert clause.is_latency
    assert "450.0ms" in why
    clause, why = evaluate(
        parse("[CERT_EXPIRY] > 72h"), Answer(True, cert_expiry_at=3600.0, now=0.0)
    )
    assert why == "[CERT_EXPIRY] was 1.0h, wanted > 72h"
    assert evaluate(parse("[BODY] contains pong"), Answer(True, body=b"ping pong"))[0] is None
    assert evaluate(parse("[CONNECTED] == true"), Answer(False))[0] is not None


def test_a_transition_only_after_n_consecutive_verdicts() -> None:
    t = Tracker(failure_threshold=3, success_threshold=2)
    seen = [t.observe(o, i) for i, o in enumerate([Outcome.PASS, Outcome.PASS])]
    assert seen == [None, HealthState.HEALTHY]
    # Two failures, one pass: the streak restarts; then three in a row.
    outcomes = [Outcome.FAIL, Outcome.FAIL, Outcome.PASS, Outcome.FAIL, Outcome.FAIL, Outcome.FAIL]
    seen = [t.observe(o, 10 + i) for i, o in enumerate(outcomes)]
    assert seen == [None, None, None, None, None, HealthState.UNHEALTHY]
    assert t.since == 15
    assert [t.observe(Outcome.PASS, 20), t.observe(Outcome.PASS, 21)] == [None, HealthState.HEALTHY]


def test_slow_answers_make_a_target_degraded_not_unhealthy() -> None:
    t = Tracker(failure_threshold=2, success_threshold=1)
    t.observe(Outcome.PASS, 0)
    assert [t.observe(Outcome.SLOW, 1), t.observe(Outcome.SLOW, 2)] == [None, HealthState.DEGRADED]
    assert [t.observe(Outcome.FAIL, 3), t.observe(Outcome.FAIL, 4)] == [None, HealthState.UNHEALTHY]
    assert t.observe(Outcome.SLOW, 5) is HealthState.DEGRADED  # answers again: better


def test_quorum_counts_locations_and_shows_a_lone_failure() -> None:
    round_ = [
        result(0, Outcome.FAIL, "nyc1"),
        result(0, Outcome.PASS, "ams3"),
        result(0, Outcome.PASS, "sgp1"),
    ]
    lone = verdict(round_, quorum=2)
    assert (lone.outcome, lone.failing, lone.below_quorum) == (Outcome.PASS, ("nyc1",), True)
    round_[1] = result(0, Outcome.FAIL, "ams3")
    assert verdict(round_, quorum=2).outcome is Outcome.FAIL
    assert (
        verdict([result(0, Outcome.SLOW), result(0, Outcome.FAIL, "ams3")], 2).outcome
        is Outcome.SLOW
    )


def test_uptime_skips_gaps_and_maintenance() -> None:
    # Results every 10 s for 100 s, failing from 50 to 70; nothing ran 100..200; then up again.
    results = [result(t, Outcome.FAIL if 50 <= t < 70 else Outcome.PASS) for t in range(0, 100, 10)]
    results += [result(t) for t in range(200, 300, 10)]
    figures = uptime(results, since=0, until=300, max_gap=20)
    # The last result before the gap stands for max_gap (20 s), the rest of the gap for nothing:
    # 0..110 and 200..300 are counted, 50..70 is down.
    assert figures.counted_seconds == 210
    assert figures.uptime_percent == pytest.approx(100.0 * 190 / 210)
    inside = uptime(results, since=0, until=300, max_gap=20, maintenance=[(50, 70)])
    assert (inside.counted_seconds, inside.uptime_percent) == (190, 100.0)
    assert uptime([], since=0, until=10, max_gap=5).uptime_percent is None


def test_recurring_maintenance_windows() -> None:
    day = 86_400.0
    w = MaintenanceWindow(1, 0, start=3600.0, duration_seconds=1800.0, recurrence=Recurrence.DAILY)
    assert w.spans(0, 2 * day) == [(3600.0, 5400.0), (day + 3600.0, day + 5400.0)]
    assert w.covers(day + 4000.0)
    assert not w.covers(day + 6000.0)
    assert not w.covers(0.0)
    once = MaintenanceWindow(2, 0, start=100.0, duration_seconds=50.0)
    assert once.spans(120, 1000) == [(120, 150)]
    assert once.spans(200, 300) == []
