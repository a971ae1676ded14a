"""Regexes of queries: RE2 runs them, and shapes that backtrack catastrophically are refused.

RE2 (google-re2) matches in time linear in the line, so no query can hold the server's CPU, and
its syntax is the one Loki's LogQL uses (Go's regexp), so a query copied from Grafana means the
same here. RE2 alone would make `(a+)+$` harmless, but we refuse nested unbounded quantifiers
anyway: the same query is pasted into tools with backtracking engines (grep -P, editors, the
Python the user's scripts run) where it hangs, and it is almost always a mistake; the message
says how to write it instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # typeshed types the parser under its old name, which warns when imported
    import sre_parse
else:  # the structure of a pattern, to find nested quantifiers
    import re._parser as sre_parse

import re2

from clustergenie_server.services.logs.query_errors import QueryError

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT}
UNBOUNDED = sre_parse.MAXREPEAT
MAX_PATTERN_LENGTH = 1000


class Regex(Protocol):
    """A compiled pattern, as queries use it: a match is anything but None."""

    def search(self, text: str) -> object | None:
        """A match anywhere in text, or None."""

    def match(self, text: str) -> object | None:
        """A match at the start of text, or None."""


def compile_regex(pattern: str, pos: int) -> Regex:
    """Compile pattern with RE2, or raise QueryError at pos saying what is wrong with it."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise QueryError(f"regex is longer than {MAX_PATTERN_LENGTH} characters", pos)
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        raise QueryError(f"invalid regex {pattern!r}: {exc}", pos) from None
    if _nested_repeat(parsed, inside=False):
        raise QueryError(
            f"regex {pattern!r} nests unbounded repetitions (like (a+)+), which backtrack "
            "catastrophically; repeat once, e.g. a+ instead of (a+)+",
            pos,
        )
    try:
        return re2.compile(pattern)
    except re2.error as exc:  # a syntax Python accepts and RE2 does not (backreferences)
        raise QueryError(f"invalid regex {pattern!r} (RE2 syntax): {exc}", pos) from None


def _nested_repeat(items: Any, *, inside: bool) -> bool:
    """True when an unbounded repeat contains another repeat of more than one."""
    for op, arg in items:
        if op in _REPEATS:
            low, high, sub = arg
            unbounded = high == UNBOUNDED or high > 100
            if inside and high > 1:
                return True
            if _nested_repeat(sub, inside=inside or unbounded):
                return True
        elif (
            op == sre_parse.SUBPATTERN
            and _nested_repeat(arg[-1], inside=inside)
            or op == sre_parse.BRANCH
            and any(_nested_repeat(b, inside=inside) for b in arg[1])
        ):
            return True
    return False
