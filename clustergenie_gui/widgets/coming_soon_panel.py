"""ComingSoonPanel: an honest placeholder for features that are not built yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clustergenie_gui.widgets.common import panel_header
from clustergenie_gui.widgets.components.theme import set_role


class ComingSoonPanel(QWidget):
    """Says plainly that a feature is planned and not available in this version."""

    def __init__(self, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(panel_header(title, purpose))
        note = QLabel(
            f"{title} is coming in a later version of ClusterGenie. "
            "Nothing on this page is simulated or filled in: it is simply not built yet.\n\n"
            "Until then, use Provision and Jobs to manage clusters and follow their work."
        )
        note.setObjectName("coming_soon_note")
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        set_role(note, "placeholder")
        layout.addWidget(note)
        layout.addStretch(1)
