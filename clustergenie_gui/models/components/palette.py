"""The one palette of the app: every colour of the light and dark themes, Qt-free.

API (for every panel):
    palette = LIGHT or DARK (a frozen Palette); pick one by name with palette_for("dark").
    palette.tone(state) -> hex colour of a state word ("active", "failed", "running", ...).
    palette.series[i] -> the i-th graph series colour.
    palette.state_cell(state) -> (background, text) of a status-grid cell ("healthy", ...).
    contrast_ratio(foreground, background) -> WCAG 2 contrast ratio (4.5 is AA for text).
No other module writes a colour literal: widgets take colours from the Palette in force (see
widgets/components/theme.py), models return tone names and the table proxy maps them.
"""

from __future__ import annotations

from dataclasses import dataclass

# A state word -> its tone: good (green), busy (amber), bad (red), idle (grey).
_TONES: dict[str, str] = {
    "active": "good",
    "succeeded": "good",
    "ok": "good",
    "new": "busy",
    "queued": "busy",
    "running": "busy",
    "cancelling": "busy",
    "deleting": "busy",
    "resizing…": "busy",
    "rebooting…": "busy",
    "powering off…": "busy",
    "powering on…": "busy",
    "destroying…": "busy",
    "errored": "bad",
    "failed": "bad",
    "off": "idle",
    "archive": "idle",
    "cancelled": "idle",
    "deleted": "idle",
    "unknown": "idle",
}


_CELL_STATES = frozenset({"healthy", "degraded", "unhealthy", "unknown", "lone_failure"})


def tone_of(state: str) -> str:
    """The tone name ("good", "busy", "bad", "idle" or "" for none) of a state word."""
    return _TONES.get(state.casefold(), "")


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours of one theme, as #rrggbb strings, named by role."""

    name: str
    window: str  # panel background
    surface: str  # tables, cards, inputs
    surface_alt: str  # alternate table rows, hovered items
    text: str
    text_muted: str  # captions and secondary text
    border: str
    accent: str  # selection, focus ring, links
    accent_text: str  # text on the accent
    good: str
    busy: str
    bad: str
    idle: str
    error_text: str
    error_background: str
    error_border: str
    sidebar: str
    sidebar_text: str
    sidebar_selected: str
    sidebar_hover: str
    sidebar_accent: str
    graph_background: str
    graph_axis: str
    graph_axis_text: str
    crosshair: str
    fault_span: str  # #rrggbbaa: translucent, over the curves
    maintenance_span: str
    marker: str  # scaling events
    deploy_marker: str
    series: tuple[str, ...]
    # Status-grid cells (Health): a filled background per state with cell_text on it (AA).
    cell_healthy: str
    cell_degraded: str
    cell_unhealthy: str
    cell_unknown: str
    cell_lone_failure: str  # healthy by quorum, failing from some location
    cell_text: str

    def tone(self, state: str) -> str:
        """Colour of a state word, or the text colour for a word without a tone."""
        tone = tone_of(state)
        return str(getattr(self, tone)) if tone else self.text

    def state_cell(self, state: str) -> tuple[str, str]:
        """(background, text) of a status-grid cell: "healthy", "degraded", "unhealthy",
        "lone_failure"; anything else is "unknown"."""
        background = getattr(self, f"cell_{state}", None) if state in _CELL_STATES else None
        return (str(background or self.cell_unknown), self.cell_text)

    @property
    def is_dark(self) -> bool:
        """True for the dark theme."""
        return luminance(self.window) < 0.2


LIGHT = Palette(
    name="light",
    window="#f3f4f6",
    surface="#ffffff",
    surface_alt="#f5f6f8",
    text="#202124",
    text_muted="#55595e",
    border="#c9ccd1",
    accent="#1a66d2",
    accent_text="#ffffff",
    good="#137333",
    busy="#8f5600",
    bad="#b3261e",
    idle="#5f6368",
    error_text="#a50e0e",
    error_background="#fce8e6",
    error_border="#f4c7c3",
    sidebar="#202124",
    sidebar_text="#e8eaed",
    sidebar_selected="#3c3d41",
    sidebar_hover="#2d2e31",
    sidebar_accent="#8ab4f8",
    graph_background="#ffffff",
    graph_axis="#bdc1c6",
    graph_axis_text="#55595e",
    crosshair="#80868b",
    fault_span="#d9302533",
    maintenance_span="#1a73e826",
    marker="#9334e6",
    deploy_marker="#00796b",
    series=(
        "#1a73e8",
        "#d93025",
        "#188038",
        "#e37400",
        "#9334e6",
        "#c5221f",
        "#129eaf",
        "#e52592",
        "#5f6368",
        "#7cb342",
    ),
    # Deep fills under white text: each at least 5.4:1 (the old mid-tones were ~3.3:1).
    cell_healthy="#137333",
    cell_degraded="#8f5600",
    cell_unhealthy="#b3261e",
    cell_unknown="#5f6368",
    cell_lone_failure="#b04a00",
    cell_text="#ffffff",
)

DARK = Palette(
    name="dark",
    window="#1b1c1f",
    surface="#26272b",
    surface_alt="#2e2f33",
    text="#e8eaed",
    text_muted="#a8adb3",
    border="#4a4d52",
    accent="#8ab4f8",
    accent_text="#14161a",
    good="#81c995",
    busy="#fdd663",
    bad="#f6aea9",
    idle="#a8adb3",
    error_text="#f6aea9",
    error_background="#3b1f1e",
    error_border="#6b2b27",
    sidebar="#121315",
    sidebar_text="#e8eaed",
    sidebar_selected="#303238",
    sidebar_hover="#24262a",
    sidebar_accent="#8ab4f8",
    graph_background="#1f2024",
    graph_axis="#5f6368",
    graph_axis_text="#a8adb3",
    crosshair="#9aa0a6",
    fault_span="#f28b8238",
    maintenance_span="#8ab4f82e",
    marker="#c58af9",
    deploy_marker="#4ecdc4",
    series=(
        "#8ab4f8",
        "#f28b82",
        "#81c995",
        "#fdd663",
        "#c58af9",
        "#fcad70",
        "#78d9ec",
        "#ff8bcb",
        "#bdc1c6",
        "#aed581",
    ),
    # Light fills under near-black text on the dark theme: each at least 7.5:1.
    cell_healthy="#81c995",
    cell_degraded="#fdd663",
    cell_unhealthy="#f6aea9",
    cell_unknown="#a8adb3",
    cell_lone_failure="#fcad70",
    cell_text="#14161a",
)

PALETTES = {palette.name: palette for palette in (LIGHT, DARK)}


def palette_for(name: str) -> Palette:
    """The palette called name ("light" or "dark"); light for anything else."""
    return PALETTES.get(name, LIGHT)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb (an alpha suffix is ignored)."""
    hex_digits = colour.lstrip("#")[:6]
    r, g, b = (int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio between two colours (1..21; AA text needs 4.5)."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_pairs(palette: Palette) -> list[tuple[str, str, str]]:
    """(what, foreground, background) of every text-on-background pair the theme draws."""
    pairs: list[tuple[str, str, str]] = []
    for background_name in ("window", "surface", "surface_alt"):
        background = getattr(palette, background_name)
        for foreground_name in ("text", "text_muted", "good", "busy", "bad", "idle"):
            pairs.append(
                (
                    f"{foreground_name} on {background_name}",
                    getattr(palette, foreground_name),
                    background,
                )
            )
    pairs += [
        ("accent text on accent", palette.accent_text, palette.accent),
        ("error text", palette.error_text, palette.error_background),
        ("sidebar text", palette.sidebar_text, palette.sidebar),
        ("sidebar selected", palette.sidebar_text, palette.sidebar_selected),
        ("graph axis text", palette.graph_axis_text, palette.graph_background),
        ("scaling marker label", palette.marker, palette.graph_background),
        ("deploy marker label", palette.deploy_marker, palette.graph_background),
    ]
    pairs += [
        (f"{state} cell text", palette.cell_text, palette.state_cell(state)[0])
        for state in sorted(_CELL_STATES)
    ]
    return pairs
