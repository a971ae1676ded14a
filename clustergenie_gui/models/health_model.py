"""Health rows grouped cluster -> targets, and the one place the state colours live."""

from __future__ import annotations

from collections.abc import Iterable

from clustergenie_gui.client.health_client import TargetHealth

# The state palette (until the shared desktop palette lands, this is the only copy).
STATE_COLOURS = {
    "healthy": "#2e9d57",
    "degraded": "#d9a400",
    "unhealthy": "#d64545",
    "unknown": "#8a8f98",
}
LONE_FAILURE_COLOUR = "#e58a2e"  # healthy by quorum, failing from some location


def colour(row: TargetHealth) -> str:
    """The cell colour of a row (a below-quorum failure has its own)."""
    if row.state == "healthy" and row.failing_locations:
        return LONE_FAILURE_COLOUR
    return STATE_COLOURS.get(row.state, STATE_COLOURS["unknown"])


def grouped(rows: Iterable[TargetHealth]) -> dict[int, list[TargetHealth]]:
    """Cluster id (0: real addresses) -> its rows, sorted by label."""
    out: dict[int, list[TargetHealth]] = {}
    for row in rows:
        out.setdefault(row.cluster_id, []).append(row)
    return {c: sorted(rs, key=lambda r: (r.label, r.check_id)) for c, rs in sorted(out.items())}


def unhealthy_count(rows: Iterable[TargetHealth]) -> int:
    """How many targets are unhealthy (the Overview's figure)."""
    return sum(1 for r in rows if r.state == "unhealthy")


def parse_headers(text: str) -> tuple[tuple[str, str], ...]:
    """'Name: value' per line as (name, value) pairs; blank lines skipped. A line without a
    colon is all name, so the server says what is wrong with it (the one validator)."""
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _colon, value = line.partition(":")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


def format_headers(headers: Iterable[tuple[str, str]]) -> str:
    """(name, value) pairs as the editor shows them, one 'Name: value' a line."""
    return "\n".join(f"{name}: {value}" for name, value in headers)
