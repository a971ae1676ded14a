"""Small building blocks shared by the panels: headers, error labels, table setup."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.widgets.components.theme import set_role

# The connection dot's tone per ConnectionState value (colours: the palette's tones).
STATE_DOT_TONES = {"connected": "good", "connecting": "busy", "disconnected": "bad"}


def panel_header(title: str, subtitle: str) -> QWidget:
    """A bold panel title with a one-line explanation under it."""
    header = QWidget()
    layout = QVBoxLayout(header)
    layout.setContentsMargins(0, 0, 0, 8)
    layout.setSpacing(2)
    title_label = QLabel(title)
    title_label.setObjectName("panel_title")
    set_role(title_label, "title")
    subtitle_label = QLabel(subtitle)
    subtitle_label.setObjectName("panel_subtitle")
    set_role(subtitle_label, "muted")
    subtitle_label.setWordWrap(True)
    layout.addWidget(title_label)
    layout.addWidget(subtitle_label)
    return header


class ErrorLabel(QLabel):
    """A red message box that hides itself while it has no text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "error")
        self.setWordWrap(True)
        self.setVisible(False)

    def show_message(self, message: str) -> None:
        """Show message, or hide when it is empty."""
        self.setText(message)
        self.setVisible(bool(message))


def setup_table(view: QTableView) -> None:
    """Row selection, no editing, alternating rows, compact rows, stretch the last column.

    For a plain QTableView only (e.g. inside a dialog's small list); a panel's table is a
    widgets/components/data_table.DataTable, which does this and sorting, filtering and more.
    """
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
