"""Parses the LogQL-shaped language into query_ast; errors point at the character.

{cluster="web-prod", level=~"error|warn"} |= "timeout" != "health" | json | status >= 500
sum by (level) (count_over_time({cluster="web-prod"}[5m]))
"""

from __future__ import annotations

from clustergenie_server.services.logs.query_ast import (
    AggregateQuery,
    Aggregation,
    CompareOp,
    LineFilter,
    LineOp,
    LogQuery,
    Matcher,
    MatchOp,
    MetricQuery,
    NumberFilter,
    ParserStage,
    Query,
    RangeFunction,
    RangeQuery,
    Stage,
)
from clustergenie_server.services.logs.query_errors import QueryError
from clustergenie_server.services.logs.query_lexer import Tok, Token, tokenize
from clustergenie_server.services.logs.regex_guard import compile_regex

MAX_QUERY_LENGTH = 4096
_MATCH_OPS = {op.value: op for op in MatchOp}
_LINE_OPS = {op.value: op for op in LineOp}
_COMPARE_OPS = {op.value: op for op in CompareOp}
_PARSERS = ("json", "logfmt")
_FUNCTIONS = {f.value: f for f in RangeFunction}
_AGGREGATIONS = {a.value: a for a in Aggregation}


def parse(text: str) -> Query:
    """Parse a log or metric query; QueryError (INVALID_ARGUMENT) shows where it went wrong."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query is longer than {MAX_QUERY_LENGTH} characters", MAX_QUERY_LENGTH)
    try:
        if not text.strip():
            raise QueryError('empty query: start with a stream selector, e.g. {cluster="web"}', 0)
        return _Parser(tokenize(text)).query()
    except QueryError as exc:
        raise exc.with_query(text) from None


def parse_log_query(text: str) -> LogQuery:
    """Parse a query that must select lines (not a metric query)."""
    query = parse(text)
    if not isinstance(query, LogQuery):
        raise QueryError(
            "a metric query cannot select lines here: give a log query such as "
            '{cluster="web"} |= "error"',
            0,
            text,
        )
    return query


def parse_labels(text: str) -> dict[str, str]:
    """A Prometheus label set, `{job="varlogs", host="a"}` (how Promtail names a stream in a
    protobuf push), with the query language's strings and escapes; QueryError (its reason and
    0-based pos) says where it went wrong."""
    return _Parser(tokenize(text), subject="labels").label_set()


class _Parser:
    """Recursive descent over the tokens."""

    def __init__(self, tokens: list[Token], subject: str = "query") -> None:
        self._tokens, self._i, self._subject = tokens, 0, subject

    def _shown(self, token: Token) -> str:
        return f"the end of the {self._subject}" if token.kind is Tok.END else repr(token.text)

    @property
    def _tok(self) -> Token:
        return self._tokens[self._i]

    def _next(self) -> Token:
        token = self._tokens[self._i]
        self._i += 1
        return token

    def _is(self, kind: Tok, text: str | None = None) -> bool:
        return self._tok.kind is kind and (text is None or self._tok.text == text)

    def _expect(self, kind: Tok, text: str | None, what: str) -> Token:
        if not self._is(kind, text):
            raise QueryError(f"expected {what}, found {self._shown(self._tok)}", self._tok.pos)
        return self._next()

    def label_set(self) -> dict[str, str]:
        """`{name="value", ...}` and nothing after it: only `=`, each name once."""
        self._expect(Tok.PUNCT, "{", 'a label set such as {job="varlogs"}')
        labels: dict[str, str] = {}
        while not self._is(Tok.PUNCT, "}"):
            if labels:
                self._expect(Tok.PUNCT, ",", "',' or '}' between labels")
            name = self._expect(Tok.IDENT, None, "a label name")
            self._expect(Tok.OP, "=", f"'=' after {name.text} (a label set has no other matcher)")
            value = self._expect(Tok.STRING, None, 'a quoted value such as "varlogs"')
            if name.text in labels:
                raise QueryError(f"label {name.text} is given twice", name.pos)
            assert isinstance(value.value, str)
            labels[name.text] = value.value
        self._next()
        self._expect(Tok.END, None, "nothing after the closing '}'")
        return labels

    def query(self) -> Query:
        query: Query = self._metric() if self._is(Tok.IDENT) else self._log_query()
        if not self._is(Tok.END):
            raise QueryError(f"unexpected {self._shown(self._tok)} after the query", self._tok.pos)
        return query

    # ------------------------------------------------------------------ metric queries
    def _metric(self) -> MetricQuery:
        name = self._tok
        if name.text in _AGGREGATIONS:
            return self._aggregate()
        if name.text in _FUNCTIONS:
            return self._range()
        known = ", ".join([*_FUNCTIONS, *_AGGREGATIONS])
        raise QueryError(
            f"unknown function {name.text!r}: a query starts with a stream selector {{...}} "
            f"or one of {known}",
            name.pos,
        )

    def _aggregate(self) -> AggregateQuery:
        op = _AGGREGATIONS[self._next().text]
        by, without = self._grouping()
        self._expect(Tok.PUNCT, "(", "'(' after the aggregation")
        if not self._is(Tok.IDENT):
            raise QueryError(
                f"expected a range function such as count_over_time(...) inside {op.value}, "
                f"found {self._shown(self._tok)}",
                self._tok.pos,
            )
        inner = self._metric()
        self._expect(Tok.PUNCT, ")", f"')' to close {op.value}(")
        if not by and self._is(Tok.IDENT) and self._tok.text in ("by", "without"):
            by, without = self._grouping()
        return AggregateQuery(op, inner, by, without)

    def _grouping(self) -> tuple[tuple[str, ...], bool]:
        if not (self._is(Tok.IDENT) and self._tok.text in ("by", "without")):
            return (), False
        without = self._next().text == "without"
        self._expect(Tok.PUNCT, "(", "'(' before the label names")
        names = [self._expect(Tok.IDENT, None, "a label name").text]
        while self._is(Tok.PUNCT, ","):
            self._next()
            names.append(self._expect(Tok.IDENT, None, "a label name").text)
        self._expect(Tok.PUNCT, ")", "')' after the label names")
        return tuple(names), without

    def _range(self) -> RangeQuery:
        function = _FUNCTIONS[self._next().text]
        self._expect(Tok.PUNCT, "(", f"'(' after {function.value}")
        query = self._log_query()
        self._expect(Tok.PUNCT, "[", "a range such as [5m] after the log query")
        duration = self._expect(Tok.DURATION, None, "a duration such as 5m")
        assert isinstance(duration.value, float)
        if duration.value <= 0:
            raise QueryError("the range must be longer than 0", duration.pos)
        self._expect(Tok.PUNCT, "]", "']' after the range")
        self._expect(Tok.PUNCT, ")", f"')' to close {function.value}(")
        return RangeQuery(function, query, duration.value)

    # ------------------------------------------------------------------ log queries
    def _log_query(self) -> LogQuery:
        selector = self._selector()
        stages: list[Stage] = []
        while True:
            if self._is(Tok.OP) and self._tok.text in _LINE_OPS:
                stages.append(self._line_filter())
            elif self._is(Tok.OP, "|"):
                self._next()
                stages.append(self._pipe_stage())
            else:
                return LogQuery(tuple(selector), tuple(stages))

    def _selector(self) -> list[Matcher]:
        self._expect(Tok.PUNCT, "{", 'a stream selector such as {cluster="web"}')
        matchers: list[Matcher] = []
        while not self._is(Tok.PUNCT, "}"):
            if matchers:
                self._expect(Tok.PUNCT, ",", "',' or '}' between label matchers")
            matchers.append(self._matcher())
        self._next()
        return matchers

    def _matcher(self) -> Matcher:
        name = self._expect(Tok.IDENT, None, "a label name")
        op = self._tok
        if not (op.kind is Tok.OP and op.text in _MATCH_OPS):
            raise QueryError(
                f"expected =, !=, =~ or !~ after {name.text}, found {self._shown(op)}", op.pos
            )
        self._next()
        value = self._expect(Tok.STRING, None, 'a quoted value such as "web"')
        assert isinstance(value.value, str)
        if _MATCH_OPS[op.text] in (MatchOp.RE, MatchOp.NRE):
            compile_regex(value.value, value.pos)
        return Matcher(name.text, _MATCH_OPS[op.text], value.value)

    def _line_filter(self) -> LineFilter:
        op = _LINE_OPS[self._next().text]
        value = self._expect(Tok.STRING, None, f'a quoted string after {op.value}, e.g. "timeout"')
        assert isinstance(value.value, str)
        if op in (LineOp.MATCHES, LineOp.NOT_MATCHES):
            compile_regex(value.value, value.pos)
        return LineFilter(op, value.value)

    def _pipe_stage(self) -> Stage:
        name = self._tok
        if name.kind is not Tok.IDENT:
            raise QueryError(
                f"expected json, logfmt or a label filter after '|', found {self._shown(name)}",
                name.pos,
            )
        self._next()
        if name.text in _PARSERS and not (self._is(Tok.OP) and self._tok.text != "|"):
            return ParserStage(name.text)
        op = self._tok
        if op.kind is not Tok.OP or op.text == "|":
            raise QueryError(
                f"expected a comparison after label {name.text} (=, !=, =~, !~, >, >=, <, <=, "
                f"==), found {self._shown(op)}",
                op.pos,
            )
        self._next()
        value = self._next()
        if value.kind is Tok.STRING and op.text in _MATCH_OPS:
            assert isinstance(value.value, str)
            if _MATCH_OPS[op.text] in (MatchOp.RE, MatchOp.NRE):
                compile_regex(value.value, value.pos)
            return Matcher(name.text, _MATCH_OPS[op.text], value.value)
        if value.kind in (Tok.NUMBER, Tok.DURATION):
            compare = "==" if op.text == "=" else op.text
            if compare not in _COMPARE_OPS:
                raise QueryError(f"{op.text} cannot compare with a number", op.pos)
            assert isinstance(value.value, float)
            return NumberFilter(name.text, _COMPARE_OPS[compare], value.value)
        raise QueryError(
            f"expected a quoted string or a number after {name.text} {op.text}, "
            f"found {self._shown(value)}",
            value.pos,
        )
