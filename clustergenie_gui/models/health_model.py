"""Health rows grouped cluster -> targets, and their status-grid cell colours (from the
palette in force: models/components/palette.py is the one place colours live)."""

from __future__ import annotations

from collections.abc import Iterable

from clustergenie_gui.client.health_client import TargetHealth
from clustergenie_gui.models.components.palette import LIGHT
from clustergenie_gui.models.components.palette_in_force import current_palette

# The light theme's cell colours by state (what tests and screenshots compare against);
# the grid itself paints colour(row) / cell_text(), which follow the theme in force.
STATE_COLOURS = {
    state: LIGHT.state_cell(state)[0] for state in ("healthy", "degraded", "unhealthy", "unknown")
}


def cell_state(row: TargetHealth) -> str:
    """The cell's colour name: the row's state, or "lone_failure" (healthy by quorum while
    failing from some location)."""
    if row.state == "healthy" and row.failing_locations:
        return "lone_failure"
    return row.state


def colour(row: TargetHealth) -> str:
    """The cell background of a row in the palette in force."""
    return current_palette().state_cell(cell_state(row))[0]


def cell_text() -> str:
    """The text colour on a state cell in the palette in force (AA on every cell colour)."""
    return current_palette().cell_text


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
