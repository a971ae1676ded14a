"""ThemeManager: applies the light or dark Palette to the whole app, following the system.

API (for every panel):
    theme = ThemeManager(app); theme.set_choice("system" | "light" | "dark")
    theme.palette -> the Palette in force; theme.theme_changed(Palette) fires on each change.
    set_role(widget, "muted" | "title" | "section" | "error" | "card" | "placeholder" | "danger")
        styles a widget by its role through the app style sheet (no colour in the panel).
    set_tone(label, "good" | "busy" | "bad" | "idle" | "") colours a label by tone.
Widgets that paint by hand (graphs, sparklines) read current_palette() at paint time and
restyle on QEvent.PaletteChange, which Qt sends to every widget when the theme changes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from clustergenie_gui.models.components.palette import DARK, LIGHT, Palette
from clustergenie_gui.models.components.palette_in_force import PALETTE_PROPERTY

log = logging.getLogger(__name__)

THEME_CHOICES = ("system", "light", "dark")


def set_role(widget: QWidget, role: str) -> None:
    """Style widget by role (see the module docstring); re-polishes it when it changes."""
    _set_property(widget, "role", role)


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour widget's text by tone ("good", "busy", "bad", "idle"; "" for plain)."""
    _set_property(widget, "tone", tone)


def _set_property(widget: QWidget, name: str, value: str) -> None:
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def qt_palette(palette: Palette) -> QPalette:
    """The QPalette of a Palette (Fusion draws every standard widget from it)."""
    q = QPalette()
    roles = QPalette.ColorRole
    pairs = {
        roles.Window: palette.window,
        roles.WindowText: palette.text,
        roles.Base: palette.surface,
        roles.AlternateBase: palette.surface_alt,
        roles.Text: palette.text,
        roles.Button: palette.surface,
        roles.ButtonText: palette.text,
        roles.Highlight: palette.accent,
        roles.HighlightedText: palette.accent_text,
        roles.ToolTipBase: palette.surface,
        roles.ToolTipText: palette.text,
        roles.PlaceholderText: palette.text_muted,
        roles.Link: palette.accent,
        roles.Mid: palette.border,
        roles.Midlight: palette.surface_alt,
        roles.Dark: palette.border,
        roles.Light: palette.surface,
        roles.Shadow: palette.border,
        roles.BrightText: palette.bad,
    }
    for role, hex_colour in pairs.items():
        q.setColor(role, QColor(hex_colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        q.setColor(disabled, role, QColor(palette.border if palette.is_dark else "#9aa0a6"))
    return q


def style_sheet(p: Palette) -> str:
    """The app-wide style sheet: roles, tones, the sidebar and a visible focus ring."""
    return f"""
QLabel[role="muted"] {{ color: {p.text_muted}; }}
QLabel[role="title"] {{ font-size: 18pt; font-weight: 600; }}
QLabel[role="section"] {{ font-weight: 600; font-size: 11pt; }}
QLabel[role="error"] {{ color: {p.error_text}; background: {p.error_background};
    border: 1px solid {p.error_border}; border-radius: 4px; padding: 6px 8px; }}
QLabel[role="placeholder"] {{ background: {p.surface_alt}; border: 1px dashed {p.border};
    border-radius: 6px; padding: 16px; color: {p.text}; }}
QLabel[role="empty"] {{ color: {p.text_muted}; background: transparent; padding: 24px; }}
QLabel[role="field_error"] {{ color: {p.error_text}; }}
QLabel[tone="good"] {{ color: {p.good}; }}
QLabel[tone="busy"] {{ color: {p.busy}; }}
QLabel[tone="bad"] {{ color: {p.bad}; }}
QLabel[tone="idle"] {{ color: {p.idle}; }}
QFrame[role="card"] {{ background: {p.surface}; border: 1px solid {p.border};
    border-radius: 8px; }}
QFrame[role="card"]:hover {{ border: 1px solid {p.accent}; }}
QFrame[role="card"]:focus {{ border: 2px solid {p.accent}; }}
QFrame[role="card"] QLabel {{ background: transparent; border: none; }}
QPushButton[role="danger"]:enabled {{ color: {p.bad}; }}
QListWidget#sidebar {{ background: {p.sidebar}; color: {p.sidebar_text}; border: none;
    padding-top: 12px; font-size: 11pt; outline: 0; }}
QListWidget#sidebar::item {{ padding: 9px 18px; border-left: 3px solid transparent; }}
QListWidget#sidebar::item:selected {{ background: {p.sidebar_selected}; color: {p.sidebar_text};
    border-left: 3px solid {p.sidebar_accent}; }}
QListWidget#sidebar::item:hover:!selected {{ background: {p.sidebar_hover}; }}
QListWidget#sidebar:focus {{ border-right: 2px solid {p.sidebar_accent}; }}
QAbstractItemView:focus, QLineEdit:focus, QAbstractSpinBox:focus, QComboBox:focus,
QPlainTextEdit:focus {{ border: 2px solid {p.accent}; border-radius: 3px; }}
QPushButton {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.border};
    border-radius: 4px; padding: 4px 12px; min-height: 18px; }}
QPushButton:hover {{ background: {p.surface_alt}; }}
QPushButton:pressed {{ background: {p.border}; }}
QPushButton:focus {{ border: 2px solid {p.accent}; padding: 3px 11px; }}
QPushButton:default {{ border: 1px solid {p.accent}; }}
QPushButton:default:focus {{ border: 2px solid {p.accent}; }}
QToolTip {{ color: {p.text}; background: {p.surface}; border: 1px solid {p.border}; }}
"""


class ThemeManager(QObject):
    """Owns the app's theme: the user's choice, the system's scheme, and applying the palette.

    Signals:
        theme_changed(object): the Palette now in force (after a choice or a system change).
    """

    theme_changed = Signal(object)

    def __init__(
        self, app: QApplication, choice: str = "system", parent: QObject | None = None
    ) -> None:
        super().__init__(parent or app)
        self._app = app
        self._choice = choice if choice in THEME_CHOICES else "system"
        self._palette: Palette | None = None
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)
        self._apply()

    @property
    def choice(self) -> str:
        """ "system", "light" or "dark"."""
        return self._choice

    @property
    def palette(self) -> Palette:
        """The palette in force."""
        assert self._palette is not None
        return self._palette

    def set_choice(self, choice: str) -> None:
        """Follow the system ("system") or force "light" / "dark"."""
        if choice not in THEME_CHOICES:
            raise ValueError(f"theme {choice!r} is not one of {', '.join(THEME_CHOICES)}")
        self._choice = choice
        self._apply()

    def _system_palette(self) -> Palette:
        scheme = QGuiApplication.styleHints().colorScheme()
        return DARK if scheme == Qt.ColorScheme.Dark else LIGHT

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self._apply()

    def _apply(self) -> None:
        palette = {"light": LIGHT, "dark": DARK}.get(self._choice) or self._system_palette()
        if palette is self._palette:
            return
        self._palette = palette
        log.info("theme: %s (%s)", palette.name, self._choice)
        self._app.setProperty(PALETTE_PROPERTY, palette.name)
        self._app.setPalette(qt_palette(palette))
        self._app.setStyleSheet(style_sheet(palette))
        self.theme_changed.emit(palette)
