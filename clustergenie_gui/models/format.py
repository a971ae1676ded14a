"""Qt-free formatting of times and durations for tables."""

from __future__ import annotations

from datetime import UTC, datetime


def clock(moment: datetime | None) -> str:
    """Local wall-clock time "HH:MM:SS", or "" when unknown."""
    return "" if moment is None else moment.astimezone().strftime("%H:%M:%S")


def duration(start: datetime | None, end: datetime | None, now: datetime | None = None) -> str:
    """Elapsed time from start to end (or now while running): "4.2 s", "3 m 05 s", "1 h 02 m"."""
    if start is None:
        return ""
    stop = end or now or datetime.now(UTC)
    seconds = max(0.0, (stop - start).total_seconds())
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} m {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} m"
