"""Which palette is in force, for models and painters (the application object carries it).

API: current_palette() -> Palette; colour(hex) -> a cached QColor; tone_colour(state) -> the
QColor of a state word in the palette in force. ThemeManager (widgets/components/theme.py)
sets the palette; nothing else does.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from clustergenie_gui.models.components.palette import LIGHT, Palette, palette_for

PALETTE_PROPERTY = "clustergenie_palette"
"""Name of the QApplication property holding the palette's name ("light" / "dark")."""


def current_palette() -> Palette:
    """The palette the app shows now (light before any theme is applied, or without an app)."""
    app = QCoreApplication.instance()
    if app is None:
        return LIGHT
    return palette_for(str(app.property(PALETTE_PROPERTY) or "light"))


@lru_cache(maxsize=256)
def colour(hex_colour: str) -> QColor:
    """QColor of #rrggbb or #rrggbbaa (cached: models ask for one per painted cell)."""
    digits = hex_colour.lstrip("#")
    if len(digits) == 8:
        return QColor(f"#{digits[6:]}{digits[:6]}")  # Qt spells alpha first: #aarrggbb
    return QColor(hex_colour)


def tone_colour(state: str) -> QColor | None:
    """Colour of a state word ("failed", "active"...) in the palette in force; None: plain."""
    palette = current_palette()
    hex_colour = palette.tone(state)
    return None if hex_colour == palette.text else colour(hex_colour)
