"""The Logs feature's colours, in one place (until the shared desktop components bring a theme)."""

from __future__ import annotations

LEVEL_COLOURS: dict[str, str] = {
    "error": "#d93025",
    "warn": "#e37400",
    "info": "#1a73e8",
    "debug": "#5f6368",
    "unknown": "#9aa0a6",
}
# Row backgrounds: only the levels someone scans for stand out.
LEVEL_BACKGROUNDS: dict[str, str] = {"error": "#fce8e6", "warn": "#fef7e0"}
GAP_BACKGROUND = "#e8eaed"
GAP_FOREGROUND = "#3c4043"
ERROR_RATIO_COLOUR = "#9334e6"
# Stacking order of the graph, bottom first.
STACK_ORDER = ("debug", "info", "unknown", "warn", "error")


def level_colour(level: str) -> str:
    """The colour of a level (unknown levels grey)."""
    return LEVEL_COLOURS.get(level, LEVEL_COLOURS["unknown"])
