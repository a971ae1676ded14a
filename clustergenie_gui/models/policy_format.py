"""Qt-free parsing and formatting for the policy editor: weekdays and durations."""

from __future__ import annotations

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekdays(text: str) -> tuple[int, ...]:
    """ "1-5", "1,3,5", "mon-fri" or "" (every day) -> sorted ISO weekdays; ValueError if bad."""
    days: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        start, end = _day(first), _day(last or first)
        if end < start:
            raise ValueError(f"weekdays: {part!r} runs backwards; write e.g. 1-5 (Mon-Fri)")
        days.update(range(start, end + 1))
    return tuple(sorted(days))


def _day(token: str) -> int:
    if token.isdigit() and 1 <= int(token) <= 7:
        return int(token)
    if token[:3] in _DAY_NAMES:
        return _DAY_NAMES.index(token[:3]) + 1
    raise ValueError(f"weekdays: {token!r} is not a day; use 1 (Mon) .. 7 (Sun) or mon..sun")


def format_weekdays(days: tuple[int, ...]) -> str:
    """ISO weekdays -> "1-5" / "1,3" / "" (every day)."""
    if not days:
        return ""
    ordered = sorted(set(days))
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{ordered[0]}-{ordered[-1]}"
    return ",".join(str(day) for day in ordered)
