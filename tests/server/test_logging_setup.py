"""A library that logs every failed reconnect cannot flood the server's log."""

from __future__ import annotations

import logging

from clustergenie_server.logging_setup import OncePerPeriod


def record(name: str, msg: str = "Connection failed") -> logging.LogRecord:
    """An error record of the named logger."""
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, None, None)


def test_one_line_per_library_logger_per_period() -> None:
    limit = OncePerPeriod("kafka", period=3600.0)

    passed = [limit.filter(record("kafka.net")) for _ in range(50)]
    ours = [limit.filter(record("clustergenie_server.bus")) for _ in range(3)]

    assert passed.count(True) == 1  # the first of 50 within the hour
    assert ours == [True, True, True]  # our own lines are never held back
    assert limit.filter(record("kafka.cluster"))  # each logger has its own allowance


def test_the_first_line_after_the_period_says_how_many_were_held() -> None:
    times = iter([0.0, 1.0, 2.0, 100.0])
    limit = OncePerPeriod("kafka", period=60.0, clock=lambda: next(times))
    records = [record("kafka.net") for _ in range(4)]

    results = [limit.filter(r) for r in records]

    assert results == [True, False, False, True]
    assert records[0].getMessage() == "Connection failed"
    assert records[3].getMessage() == "Connection failed (2 similar lines held back)"
