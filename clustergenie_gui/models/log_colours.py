"""The Logs feature's colours: the graph's by level, the table's from the theme's Palette."""

from __future__ import annotations

from clustergenie_gui.models.components.palette import Palette

LEVEL_COLOURS: dict[str, str] = {
    "error": "#d93025",
    "warn": "#e37400",
    "info": "#1a73e8",
    "debug": "#5f6368",
    "unknown": "#9aa0a6",
}
# Row backgrounds: only the levels someone scans for stand out.
LEVEL_BACKGROUNDS: dict[str, str] = {"error": "#fce8e6", "warn": "#fef7e0"}
ERROR_RATIO_COLOUR = "#9334e6"
# Stacking order of the graph, bottom first.
STACK_ORDER = ("debug", "info", "unknown", "warn", "error")


def level_colour(level: str) -> str:
    """The colour of a level (unknown levels grey)."""
    return LEVEL_COLOURS.get(level, LEVEL_COLOURS["unknown"])


def row_text_colour(level: str, palette: Palette) -> str:
    """The level column's colour in the table, readable on the palette's surfaces."""
    tones = {"error": palette.bad, "warn": palette.busy, "info": palette.accent}
    return tones.get(level, palette.idle)


def row_background(level: str, palette: Palette) -> str | None:
    """An error row's tint (light: warnings too); None keeps the table's own background."""
    if level == "error":
        return palette.error_background
    if level == "warn" and not palette.is_dark:
        return LEVEL_BACKGROUNDS["warn"]
    return None
