"""Small building blocks shared by the panels: headers, error labels, table setup, colours."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = (
    "QLabel { color: #a50e0e; background: #fce8e6; border: 1px solid #f4c7c3;"
    " border-radius: 4px; padding: 6px 8px; }"
)
STATE_DOT_COLOURS = {"connected": "#1e8e3e", "connecting": "#b06f00", "disconnected": "#c5221f"}


def panel_header(title: str, subtitle: str) -> QWidget:
    """A bold panel title with a one-line explanation under it."""
    header = QWidget()
    layout = QVBoxLayout(header)
    layout.setContentsMargins(0, 0, 0, 8)
    layout.setSpacing(2)
    title_label = QLabel(title)
    title_label.setObjectName("panel_title")
    title_label.setStyleSheet("font-size: 18pt; font-weight: 600;")
    subtitle_label = QLabel(subtitle)
    subtitle_label.setObjectName("panel_subtitle")
    subtitle_label.setStyleSheet("color: #5f6368;")
    subtitle_label.setWordWrap(True)
    layout.addWidget(title_label)
    layout.addWidget(subtitle_label)
    return header


class ErrorLabel(QLabel):
    """A red message box that hides itself while it has no text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setVisible(False)

    def show_message(self, message: str) -> None:
        """Show message, or hide when it is empty."""
        self.setText(message)
        self.setVisible(bool(message))


def setup_table(view: QTableView) -> None:
    """Row selection, no editing, alternating rows, compact rows, stretch the last column."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
