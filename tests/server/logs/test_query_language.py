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
from clustergenie_server.services.logs.query_parser import parse, parse_labels, parse_log_query


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


def test_strings_take_go_escapes_as_strconv_quote_writes_them() -> None:
    # Promtail's label sets are quoted by Go's strconv.Quote: \xHH below 0x80, \u, \U.
    query = parse('{a="q\\"b\\\\c\\nd\\te\\x01f\\u00a0g\\U0001F600"}')
    assert isinstance(query, LogQuery)
    assert query.selector[0].value == 'q"b\\c\nd\te\x01f\u00a0g\U0001f600'


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ('{a="\\xff"}', 5, "below \\x80"),
        ('{a="\\u12"}', 5, "4 hex digits"),
        ('{a="\\ud800"}', 5, "4 hex digits"),
        ('{a="\\U00110000"}', 5, "8 hex digits"),
    ],
)
def test_bad_hex_escapes_point_at_the_backslash(text: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.pos + 1 == position
    assert words in caught.value.reason


def test_a_label_set_as_promtail_names_a_stream() -> None:
    assert parse_labels('{job="varlogs", filename="/var/log/app \\"x\\".log"}') == {
        "job": "varlogs",
        "filename": '/var/log/app "x".log',
    }
    assert parse_labels("{}") == {}


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("", 1, 'expected a label set such as {job="varlogs"}, found the end of the labels'),
        ('{job="a" host="b"}', 10, "expected ',' or '}' between labels, found 'host'"),
        ('{job="a"', 9, "found the end of the labels"),
        ('{job=~"a"}', 5, "expected '=' after job"),
        ('{job!="a"}', 5, "expected '=' after job"),
        ("{job=a}", 6, "a quoted value"),
        ('{job="a", job="b"}', 11, "label job is given twice"),
        ('{job="a"} |= "x"', 11, "nothing after the closing '}'"),
        ('{job="a\\q"}', 8, "unknown escape"),
        ('{job="a}', 6, "string is not closed"),
    ],
)
def test_a_bad_label_set_says_where(text: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_labels(text)
    assert caught.value.pos + 1 == position, caught.value.reason
    assert words in caught.value.reason


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
