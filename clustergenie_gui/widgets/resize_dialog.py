"""ResizeDialog: choose a new size for a droplet (opened non-modally with open())."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from clustergenie_gui.client.types import Catalog, Droplet


class ResizeDialog(QDialog):
    """Lists the catalog's sizes other than the droplet's current one."""

    def __init__(self, droplet: Droplet, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Resize {droplet.name}")
        self.droplet_id = droplet.id
        self.size_combo = QComboBox()
        self.size_combo.setObjectName("resize_size")
        for size in catalog.sizes:
            if size.slug != droplet.size:
                self.size_combo.addItem(size.label, size.slug)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Resize")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{droplet.name} is now {droplet.size}. New size:"))
        layout.addWidget(self.size_combo)
        layout.addWidget(buttons)

    def chosen_size(self) -> str:
        """The selected size slug."""
        return str(self.size_combo.currentData() or "")
