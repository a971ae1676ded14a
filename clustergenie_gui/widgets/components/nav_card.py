"""NavCard: a card (number, caption, or any content) that opens what it summarises.

API: card = NavCard(Navigation("Jobs", "state:failed"), tooltip="Open the failed jobs");
card.opened(object) carries its Navigation on a click, Enter or Space (the card takes focus
with Tab and shows the focus ring). StatCard(caption, tone, nav) adds a big number:
card.set_value(3).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.widgets.components.theme import set_role, set_tone


class NavCard(QFrame):
    """A focusable card that emits opened(Navigation) when activated.

    Signals:
        opened(object): the card's Navigation, on click, Enter or Space.
    """

    opened = Signal(object)

    def __init__(
        self, nav: Navigation | None, tooltip: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.nav = nav
        set_role(self, "card")
        if nav is not None:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip(tooltip or f"Open {nav.panel}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A left click opens."""
        if event.button() == Qt.MouseButton.LeftButton and self.nav is not None:
            self.opened.emit(self.nav)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Space opens."""
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if event.key() in keys and self.nav is not None:
            self.opened.emit(self.nav)
            return
        super().keyPressEvent(event)


class StatCard(NavCard):
    """One number with a caption, coloured by tone."""

    def __init__(
        self,
        caption: str,
        tone: str,
        nav: Navigation | None,
        tooltip: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(nav, tooltip, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.value = QLabel("0")
        self.value.setStyleSheet("font-size: 24pt; font-weight: 600;")
        set_tone(self.value, tone)
        self.caption = QLabel(caption)
        set_role(self.caption, "muted")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, value: int) -> None:
        """Show value, with thousands separators (1,000 droplets)."""
        self.value.setText(f"{value:,}")
