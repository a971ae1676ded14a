"""The query language: what parses to what, what each query keeps, and where errors point."""

from __future__ import annotations

import pytest

from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.services.logs.query_ast import (
    AggregateQuery,
    CompareOp,
    LineFilter,
    LineOp,
    LogQuery,
    Matcher,
    MatchOp,
    NumberFilter,
    ParserStage,
    RangeFunction,
    RangeQuery,
)
from clustergenie_server.services.logs.query_errors import QueryError
from clustergenie_server.services.logs.query_eval import compile_query
from clustergenie_server.services.logs.query_parser import parse, parse_log_query


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{}", LogQuery(())),
        ('{cluster="web"}', LogQuery((Matcher("cluster", MatchOp.EQ, "web"),))),
        (
            '{cluster="web-prod", level=~"error|warn"}',
            LogQuery(
                (
                    Matcher("cluster", MatchOp.EQ, "web-prod"),
                    Matcher("level", MatchOp.RE, "error|warn"),
                )
            ),
        ),
        (
            '{a!="b"} |= "x" != "y" |~ "z+" !~ `w\\d`',
            LogQuery(
                (Matcher("a", MatchOp.NE, "b"),),
                (
                    LineFilter(LineOp.CONTAINS, "x"),
                    LineFilter(LineOp.NOT_CONTAINS, "y"),
                    LineFilter(LineOp.MATCHES, "z+"),
                    LineFilter(LineOp.NOT_MATCHES, "w\\d"),
                ),
            ),
        ),
        (
            '{a="b"} | logfmt | status >= 500 | path = "/api"',
            LogQuery(
                (Matcher("a", MatchOp.EQ, "b"),),
                (
                    ParserStage("logfmt"),
                    NumberFilter("status", CompareOp.GE, 500.0),
                    Matcher("path", MatchOp.EQ, "/api"),
                ),
            ),
        ),
        ('{a="b"} | json | latency > 250ms', None),
        ('{a="say \\"hi\\""}', LogQuery((Matcher("a", MatchOp.EQ, 'say "hi"'),))),
    ],
)
def test_log_queries_parse(text: str, expected: LogQuery | None) -> None:
    query = parse(text)
    assert isinstance(query, LogQuery)
    if expected is not None:
        assert query == expected
    else:
        assert query.stages[-1] == NumberFilter("latency", CompareOp.GT, 0.25)


@pytest.mark.parametrize(
    ("text", "function", "range_seconds", "by"),
    [
        ('rate({a="b"}[1m])', RangeFunction.RATE, 60.0, None),
        ('count_over_time({a="b"} |= "x" [5m])', RangeFunction.COUNT_OVER_TIME, 300.0, None),
        (
            'sum by (level) (count_over_time({a="b"}[1h30m]))',
            RangeFunction.COUNT_OVER_TIME,
            5400.0,
            ("level",),
        ),
        (
            'sum(rate({a="b"}[10s])) by (cluster, level)',
            RangeFunction.RATE,
            10.0,
            ("cluster", "level"),
        ),
    ],
)
def test_metric_queries_parse(
    text: str, function: RangeFunction, range_seconds: float, by: tuple[str, ...] | None
) -> None:
    query = parse(text)
    if by is not None:
        assert isinstance(query, AggregateQuery)
        assert query.by == by
        query = query.inner
    assert isinstance(query, RangeQuery)
    assert (query.function, query.range_seconds) == (function, range_seconds)


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("", 1, "empty query"),
        ('cluster="web"', 1, "unknown function"),
        ('{cluster="web"', 15, "expected ',' or '}'"),
        ("{cluster=web}", 10, "quoted value"),
        ('{cluster=="web"}', 9, "expected =, !=, =~ or !~"),
        ('{cluster="web} |= "x"', 21, "string is not closed"),
        ('{a="b"} |= x', 12, "quoted string"),
        ('{a="b"} |~ "(unclosed"', 12, "invalid regex"),
        ('{a="b"} |~ "(a+)+$"', 12, "catastrophically"),
        ('{a="b"} |~ "(x*)*y"', 12, "catastrophically"),
        ('{a=~"(a|b"}', 5, "invalid regex"),
        ('{a="b"} |~ "(a)\\\\1"', 12, "RE2"),
        ('{a="b"} | status >', 19, "expected a quoted string or a number"),
        ('rate({a="b"})', 13, "a range such as [5m]"),
        ('rate({a="b"}[5x])', 15, "unknown duration unit"),
        ('sum by (level (rate({a="b"}[1m]))', 15, "')' after the label names"),
        ('{a="b"} }', 9, "unexpected '}'"),
        ('{a="b\\q"}', 6, "unknown escape"),
    ],
)
def test_errors_point_at_the_character(text: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    error = caught.value
    assert isinstance(error, InvalidArgument)
    assert error.pos + 1 == position, str(error)
    assert words in str(error)
    assert f"character {position}:" in str(error)
    if text:
        caret_line = str(error).splitlines()[-1]
        assert caret_line.index("^") - 2 == error.pos  # the caret under the character


def test_a_metric_query_cannot_select_lines() -> None:
    with pytest.raises(QueryError, match="metric query"):
        parse_log_query('rate({a="b"}[1m])')


ACCESS_500 = "method=GET path=/api/orders status=500 latency=1200ms"
ACCESS_200 = "method=GET path=/api/orders status=200 latency=20ms"
LABELS = {"cluster": "web-prod", "level": "info", "droplet": "web-1"}


@pytest.mark.parametrize(
    ("text", "line", "labels", "kept"),
    [
        ('{cluster="web-prod"}', ACCESS_200, LABELS, True),
        ('{cluster="web"}', ACCESS_200, LABELS, False),
        ('{cluster=~"web.*"}', ACCESS_200, LABELS, True),
        ('{cluster=~"web"}', ACCESS_200, LABELS, False),  # anchored, as in Loki
        ('{level=~"error|warn"}', ACCESS_200, LABELS, False),
        ('{level!~"error|warn"}', ACCESS_200, LABELS, True),
        ('{missing=""}', ACCESS_200, LABELS, True),
        ('{} |= "status=500"', ACCESS_500, LABELS, True),
        ('{} |= "status=500"', ACCESS_200, LABELS, False),
        ('{} != "healthz"', ACCESS_200, LABELS, True),
        ('{} |~ "status=5\\\\d\\\\d"', ACCESS_500, LABELS, True),
        ('{} !~ "status=5.."', ACCESS_500, LABELS, False),
        ("{} | logfmt | status >= 500", ACCESS_500, LABELS, True),
        ("{} | logfmt | status >= 500", ACCESS_200, LABELS, False),
        ("{} | logfmt | latency > 1s", ACCESS_500, LABELS, True),
        ('{} | logfmt | path = "/api/orders"', ACCESS_200, LABELS, True),
        ('{} | logfmt | path =~ "/api/.*" | status == 200', ACCESS_200, LABELS, True),
        ("{} | json | status >= 500", '{"status": 503, "msg": "x"}', LABELS, True),
        ('{} | json | user_id = "7"', '{"user": {"id": 7}}', LABELS, True),
        ('{} | json | __error__ = "JSONParserErr"', "not json", LABELS, True),
        ("{} | json | status >= 500", "not json", LABELS, False),
    ],
)
def test_what_a_query_keeps(text: str, line: str, labels: dict[str, str], kept: bool) -> None:
    compiled = compile_query(parse_log_query(text))
    assert (compiled.selects(labels) and compiled.keep(line, labels) is not None) is kept
