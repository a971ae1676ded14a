"""Tokens of the query language, each with the character position it starts at."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from clustergenie_server.services.logs.query_errors import QueryError


class Tok(enum.Enum):
    """Token kinds."""

    IDENT = "name"
    STRING = "string"
    NUMBER = "number"
    DURATION = "duration"
    OP = "operator"
    PUNCT = "punctuation"
    END = "end of query"


@dataclass(frozen=True, slots=True)
class Token:
    """A token; pos is its 0-based offset in the query text."""

    kind: Tok
    text: str
    pos: int
    value: float | str | None = None


# Longest first, so "|=" is not read as "|" then "=".
_OPS = ("|=", "|~", "!=", "!~", "=~", "==", ">=", "<=", "=", ">", "<", "|")
_PUNCT = "{}()[],"
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
# Go's escapes (strconv.Unquote), as in Loki: Promtail's label sets come quoted by strconv.Quote,
# which writes \xHH, \uHHHH and \UHHHHHHHH for characters that do not print.
_ESCAPES = {
    '"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
    "v": "\v",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}  # digits after \x (ASCII only), \u and \U


def tokenize(text: str) -> list[Token]:
    """Every token of text, ending with an END token; QueryError points at a bad character."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in _PUNCT:
            out.append(Token(Tok.PUNCT, c, i))
            i += 1
        elif c == '"' or c == "`":
            token, i = _string(text, i)
            out.append(token)
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            token, i = _number(text, i)
            out.append(token)
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_."):
                j += 1
            out.append(Token(Tok.IDENT, text[i:j], i))
            i = j
        else:
            op = next((o for o in _OPS if text.startswith(o, i)), None)
            if op is None:
                raise QueryError(f"unexpected character {c!r}", i)
            out.append(Token(Tok.OP, op, i))
            i += len(op)
    out.append(Token(Tok.END, "", n))
    return out


def _string(text: str, start: int) -> tuple[Token, int]:
    quote, i = text[start], start + 1
    chars: list[str] = []
    while i < len(text):
        c = text[i]
        if c == quote:
            value = "".join(chars)
            return Token(Tok.STRING, text[start : i + 1], start, value), i + 1
        if c == "\\" and quote == '"':
            char, i = _escape(text, i)
            chars.append(char)
            continue
        chars.append(c)
        i += 1
    raise QueryError(f"string is not closed: add the closing {quote}", start)


def _escape(text: str, i: int) -> tuple[str, int]:
    """The character of the escape at text[i] (a backslash) and the index after it."""
    kind = text[i + 1] if i + 1 < len(text) else ""
    if kind in _ESCAPES:
        return _ESCAPES[kind], i + 2
    width = _HEX_ESCAPES.get(kind)
    if width is None:
        raise QueryError(
            "unknown escape in a string (use \\\\ for a backslash, or a `raw` string)", i
        )
    digits = text[i + 2 : i + 2 + width]
    code = int(digits, 16) if len(digits) == width and _is_hex(digits) else -1
    limit = 0x7F if kind == "x" else 0x10FFFF
    if not 0 <= code <= limit or 0xD800 <= code <= 0xDFFF:
        raise QueryError(
            f"\\{kind} needs {width} hex digits of a character"
            + (" below \\x80 (ASCII; other characters as UTF-8 text)" if kind == "x" else ""),
            i,
        )
    return chr(code), i + 2 + width


def _is_hex(digits: str) -> bool:
    return all(d in "0123456789abcdefABCDEF" for d in digits)


def _number(text: str, start: int) -> tuple[Token, int]:
    i = start
    while i < len(text) and (text[i].isdigit() or text[i] == "."):
        i += 1
    number_text = text[start:i]
    try:
        number = float(number_text)
    except ValueError:
        raise QueryError(f"{number_text!r} is not a number", start) from None
    if i < len(text) and text[i].isalpha():
        return _duration(text, start)
    return Token(Tok.NUMBER, number_text, start, number), i


def _duration(text: str, start: int) -> tuple[Token, int]:
    """A Prometheus-style duration such as 5m, 1h30m or 250ms, as seconds."""
    i, total = start, 0.0
    while i < len(text) and (text[i].isdigit() or text[i] == "."):
        j = i
        while j < len(text) and (text[j].isdigit() or text[j] == "."):
            j += 1
        k = j
        while k < len(text) and text[k].isalpha():
            k += 1
        unit = text[j:k]
        if unit not in _UNITS:
            raise QueryError(
                f"unknown duration unit {unit!r}: use ms, s, m, h, d or w (e.g. 5m)", j
            )
        total += float(text[i:j]) * _UNITS[unit]
        i = k
    return Token(Tok.DURATION, text[start:i], start, total), i
