"""AuditLogDialog: the server's record of who did what (File → Audit log…, admins only)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.models.audit_table_model import AuditTableModel
from clustergenie_gui.viewmodels.audit_viewmodel import PAGE, AuditViewModel
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.data_table import DataTable
from clustergenie_gui.widgets.components.theme import set_role

_WIDTHS = {
    AuditTableModel.TIME: 145,
    AuditTableModel.CALLER: 90,
    AuditTableModel.ROLE: 65,
    AuditTableModel.METHOD: 140,
    AuditTableModel.TARGETS: 330,
    AuditTableModel.OUTCOME: 120,
}


class AuditLogDialog(QDialog):
    """Filters (who, which call), the newest entries first, and the server's errors inline."""

    def __init__(self, audit: AuditViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit log")
        self.resize(1100, 480)
        self._vm = audit
        self.caller_edit = QLineEdit()
        self.caller_edit.setPlaceholderText("any token name")
        self.method_edit = QLineEdit()
        self.method_edit.setPlaceholderText("any call, e.g. CreateCluster")
        self.load_button = QPushButton("Show")
        self.load_button.setDefault(True)
        self.count_label = QLabel()
        set_role(self.count_label, "muted")
        self.data_table = DataTable(
            audit.entries, "audit", "No audited calls match: change Who or Call and press Show."
        )
        self.data_table.set_min_widths(_WIDTHS)
        self.table = self.data_table.view
        self.error_label = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Who"))
        filters.addWidget(self.caller_edit, 1)
        filters.addWidget(QLabel("Call"))
        filters.addWidget(self.method_edit, 1)
        filters.addWidget(self.load_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.error_label)
        layout.addWidget(self.data_table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.load_button.clicked.connect(self.load)
        self.caller_edit.returnPressed.connect(self.load)
        self.method_edit.returnPressed.connect(self.load)
        audit.loaded.connect(self._on_loaded)
        audit.busy_changed.connect(self._on_busy_changed)
        audit.error.connect(self.error_label.show_message)

    def load(self) -> None:
        """Ask the server for the newest entries that match the filters."""
        self._vm.load(self.caller_edit.text(), self.method_edit.text())

    def _on_loaded(self, count: int) -> None:
        self.count_label.setText(
            f"Newest {count} entries first (at most {PAGE}); narrow with Who and Call."
            if count >= PAGE
            else f"{count} entries, newest first."
        )

    def _on_busy_changed(self, busy: bool) -> None:
        self.load_button.setEnabled(not busy)
        self.load_button.setText("Loading…" if busy else "Show")
