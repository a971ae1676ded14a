"""Conditions in Gatus' spirit: `[STATUS] == 200 && [RESPONSE_TIME] < 300`, parsed when saved.

Placeholders: [STATUS], [RESPONSE_TIME] (ms), [BODY] (text, with `contains`), [BODY].a.b[0]
(a JSON path), [CERT_EXPIRY] (time left, also spelled [CERTIFICATE_EXPIRATION] as Gatus does),
[CONNECTED]. Operators: == != < <= > >= contains. Values: numbers, durations (500ms, 30s, 5m,
72h, 7d), true/false, quoted or bare text. A parse error names the 1-based column.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

PLACEHOLDERS = {
    "STATUS": "STATUS",
    "RESPONSE_TIME": "RESPONSE_TIME",
    "BODY": "BODY",
    "CERT_EXPIRY": "CERT_EXPIRY",
    "CERTIFICATE_EXPIRATION": "CERT_EXPIRY",
    "CONNECTED": "CONNECTED",
}
OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "contains")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PATH_PART = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")


class ConditionError(ValueError):
    """A condition that does not parse; `column` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message, self.column = message, column


@dataclass(frozen=True, slots=True)
class Clause:
    """`placeholder[path] op value`, as written at `column`."""

    placeholder: str
    path: str
    op: str
    value: str
    text: str
    column: int

    @property
    def is_latency(self) -> bool:
        """A latency clause failing alone makes a result SLOW (degraded), not FAIL."""
        return self.placeholder == "RESPONSE_TIME"


@dataclass(frozen=True, slots=True)
class Answer:
    """What a probe saw, as the conditions read it."""

    connected: bool
    status_code: int = 0
    body: bytes = b""
    latency_ms: float = 0.0
    cert_expiry_at: float | None = None
    now: float = 0.0


def parse(text: str) -> tuple[Clause, ...]:
    """The clauses of a condition ('' has none); ConditionError says where it breaks."""
    clauses: list[Clause] = []
    if not text.strip():
        return ()
    pos = 0
    for part in text.split("&&"):
        column = pos + 1 + (len(part) - len(part.lstrip()))
        if not part.strip():
            at = max(1, pos - 1)  # the '&&' before the empty clause
            raise ConditionError("empty clause around '&&'; write e.g. [STATUS] == 200", at)
        clauses.append(_clause(part.strip(), column))
        pos += len(part) + 2
    return tuple(clauses)


def _clause(text: str, column: int) -> Clause:
    match = re.match(r"\[([A-Z_]+)\]", text)
    if match is None:
        raise ConditionError(
            f"expected a placeholder such as [STATUS] at {text[:12]!r}; "
            "known: " + ", ".join(f"[{p}]" for p in PLACEHOLDERS),
            column,
        )
    name = match.group(1)
    if name not in PLACEHOLDERS:
        raise ConditionError(
            f"unknown placeholder [{name}]; known: " + ", ".join(f"[{p}]" for p in PLACEHOLDERS),
            column + 1,
        )
    placeholder, rest, offset = PLACEHOLDERS[name], text[match.end() :], match.end()
    path = ""
    if placeholder == "BODY" and rest.startswith((".", "[")):
        m = re.match(r"(?:\.[A-Za-z_][\w-]*|\[\d+\])+", rest)
        if m is None:
            raise ConditionError(
                "a JSON path is .name or [index], e.g. [BODY].status", column + offset
            )
        path, rest, offset = m.group(0), rest[m.end() :], offset + m.end()
    stripped = rest.lstrip()
    offset += len(rest) - len(stripped)
    op = next((o for o in OPERATORS if stripped.startswith(o)), None)
    if op is None:
        raise ConditionError(
            f"expected an operator ({' '.join(OPERATORS)}) after [{name}]{path}", column + offset
        )
    value = stripped[len(op) :].strip()
    offset += len(op) + 1
    if not value:
        raise ConditionError(f"[{name}]{path} {op} needs a value", column + offset)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    _check_value(placeholder, path, op, value, column + offset)
    return Clause(placeholder, path, op, value, text, column)


def _check_value(placeholder: str, path: str, op: str, value: str, column: int) -> None:
    if op == "contains" and (placeholder != "BODY" or path):
        raise ConditionError("contains works on [BODY] only", column)
    if placeholder in ("STATUS",) and not value.isdigit():
        raise ConditionError(f"[STATUS] compares with a number, not {value!r}", column)
    if (
        placeholder in ("RESPONSE_TIME", "CERT_EXPIRY")
        and _seconds(value, default_ms=placeholder == "RESPONSE_TIME") is None
    ):
        raise ConditionError(
            f"{value!r} is not a number or a duration such as 300ms, 30s, 72h", column
        )
    if placeholder == "CONNECTED" and (value not in ("true", "false") or op not in ("==", "!=")):
        raise ConditionError("[CONNECTED] takes == true or == false", column)


def _seconds(value: str, *, default_ms: bool) -> float | None:
    """A duration in seconds; a bare number is milliseconds for latency, seconds otherwise."""
    try:
        number = float(value)
    except ValueError:
        m = _DURATION.match(value)
        return float(m.group(1)) * _UNIT_SECONDS[m.group(2)] if m else None
    return number / 1000.0 if default_ms else number


def evaluate(clauses: tuple[Clause, ...], answer: Answer) -> tuple[Clause | None, str]:
    """The first failing clause (non-latency ones first) and why; (None, '') when all pass."""
    failures = [(c, why) for c in clauses if (why := _fails(c, answer))]
    failures.sort(key=lambda f: f[0].is_latency)
    return failures[0] if failures else (None, "")


def _fails(clause: Clause, a: Answer) -> str:
    """Why a clause fails for an answer ('' when it holds)."""
    actual: object
    wanted: object = clause.value
    match clause.placeholder:
        case "STATUS":
            actual, wanted = a.status_code, int(clause.value)
        case "RESPONSE_TIME":
            actual = round(a.latency_ms, 1)
            wanted = (_seconds(clause.value, default_ms=True) or 0.0) * 1000.0
        case "CERT_EXPIRY":
            if a.cert_expiry_at is None:
                return f"{clause.text}: no TLS certificate was seen"
            actual = a.cert_expiry_at - a.now
            wanted = _seconds(clause.value, default_ms=False) or 0.0
        case "CONNECTED":
            actual, wanted = a.connected, clause.value == "true"
        case _:
            text = a.body.decode("utf-8", "replace")
            if not clause.path:
                actual = text
            else:
                found, actual = _json_path(text, clause.path)
                if not found:
                    return f"[BODY]{clause.path} is not in the body"
                actual, wanted = _comparable(actual, clause.value)
    if _holds(clause.op, actual, wanted):
        return ""
    shown = _show(clause.placeholder, actual)
    return f"[{clause.placeholder}]{clause.path} was {shown}, wanted {clause.op} {clause.value}"


def _holds(op: str, actual: object, wanted: object) -> bool:
    if op == "contains":
        return str(wanted) in str(actual)
    if op == "==":
        return actual == wanted
    if op == "!=":
        return actual != wanted
    try:
        x, y = float(actual), float(wanted)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        x, y = str(actual), str(wanted)  # type: ignore[assignment]
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def _show(placeholder: str, actual: object) -> str:
    if placeholder == "CERT_EXPIRY" and isinstance(actual, float):
        return f"{actual / 3600.0:.1f}h"
    if placeholder == "RESPONSE_TIME":
        return f"{actual}ms"
    if isinstance(actual, str) and len(actual) > 60:
        return repr(actual[:60] + "…")
    return (
        repr(actual)
        if isinstance(actual, str)
        else str(actual).lower()
        if isinstance(actual, bool)
        else str(actual)
    )


def _json_path(text: str, path: str) -> tuple[bool, object]:
    try:
        node: object = json.loads(text)
    except ValueError:
        return False, None
    for name, index in _PATH_PART.findall(path):
        if name and isinstance(node, dict) and name in node:
            node = node[name]
        elif index and isinstance(node, list) and int(index) < len(node):
            node = node[int(index)]
        else:
            return False, None
    return True, node


def _comparable(actual: object, value: str) -> tuple[object, object]:
    """JSON values against the written text: numbers as numbers, booleans as true/false."""
    if isinstance(actual, bool):
        return ("true" if actual else "false"), value
    if isinstance(actual, int | float):
        try:
            return float(actual), float(value)
        except ValueError:
            return str(actual), value
    return actual if isinstance(actual, str) else json.dumps(actual), value
