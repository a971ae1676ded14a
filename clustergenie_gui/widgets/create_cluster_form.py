"""CreateClusterForm: name, region, size, image, droplet count and tags, with an inline error."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.types import Catalog, Cluster
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.field_errors import FieldErrors


def parse_tags(text: str) -> list[str]:
    """Comma- or space-separated tags, without blanks or duplicates, in order."""
    seen: list[str] = []
    for tag in text.replace(",", " ").split():
        if tag not in seen:
            seen.append(tag)
    return seen


class CreateClusterForm(QGroupBox):
    """The create-cluster form; the server validates, its message shows under the field it is
    about (cleared when that field changes), else under the button; the focus stays put."""

    def __init__(self, provisioning: ProvisioningViewModel, parent: QWidget | None = None) -> None:
        super().__init__("New cluster", parent)
        self._vm = provisioning
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("cluster_name")
        self.name_edit.setPlaceholderText("e.g. web-prod")
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("cluster_region")
        self.size_combo = QComboBox()
        self.size_combo.setObjectName("cluster_size")
        self.image_combo = QComboBox()
        self.image_combo.setObjectName("cluster_image")
        for combo in (self.region_combo, self.size_combo, self.image_combo):
            # Long entries ("s-1vcpu-512mb-10gb — 1 vCPU · 512 MB · …") must not widen the
            # form past a 1024-px window: the closed box elides, its list shows them whole.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.count_spin = QSpinBox()
        self.count_spin.setObjectName("cluster_count")
        self.count_spin.setRange(1, 100)
        self.count_spin.setValue(3)
        self.tags_edit = QLineEdit()
        self.tags_edit.setObjectName("cluster_tags")
        self.tags_edit.setPlaceholderText("comma-separated, e.g. web, prod")
        self.create_button = QPushButton("Create cluster")
        self.create_button.setObjectName("create_cluster")
        self.create_button.setDefault(True)
        self.error_label = ErrorLabel()
        self.error_label.setObjectName("form_error")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Name", self.name_edit)
        form.addRow("Region", self.region_combo)
        form.addRow("Size", self.size_combo)
        form.addRow("Image", self.image_combo)
        form.addRow("Droplets", self.count_spin)
        form.addRow("Tags", self.tags_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        self.errors = FieldErrors(form, self.error_label)
        self.errors.add("name", self.name_edit, ("name",))
        self.errors.add("region", self.region_combo, ("region",))
        self.errors.add("size", self.size_combo, ("size",))
        self.errors.add("image", self.image_combo, ("image",))
        self.errors.add("count", self.count_spin, ("droplet count", "count", "quota"))
        self.errors.add("tags", self.tags_edit, ("tag",))

        self.create_button.clicked.connect(self._on_create_clicked)
        self.name_edit.returnPressed.connect(self._on_create_clicked)
        provisioning.catalog_changed.connect(self._on_catalog_changed)
        provisioning.form_error.connect(self.errors.show_message)
        provisioning.form_busy_changed.connect(self._on_form_busy_changed)
        provisioning.cluster_created.connect(self._on_cluster_created)
        self._on_catalog_changed(provisioning.catalog)

    def _on_catalog_changed(self, catalog: Catalog) -> None:
        self._fill(self.region_combo, [(f"{r.name} ({r.slug})", r.slug) for r in catalog.regions])
        for row, region in enumerate(catalog.regions):
            if not region.available:
                model = self.region_combo.model()
                if isinstance(model, QStandardItemModel):
                    item = model.item(row)
                    item.setEnabled(False)
                    item.setToolTip("This region is not taking new droplets.")
        self._fill(self.size_combo, [(s.label, s.slug) for s in catalog.sizes])
        self._fill(self.image_combo, [(i.name or i.slug, i.slug) for i in catalog.images])
        self.create_button.setEnabled(bool(catalog.sizes) and not self._vm.form_busy)

    @staticmethod
    def _fill(combo: QComboBox, entries: list[tuple[str, str]]) -> None:
        """Replace the entries, keeping the current choice when it still exists."""
        current = combo.currentData()
        combo.clear()
        for text, slug in entries:
            combo.addItem(text, slug)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else (0 if entries else -1))

    def _on_create_clicked(self) -> None:
        if self._vm.form_busy:
            return
        self._vm.create_cluster(
            self.name_edit.text(),
            self.region_combo.currentData() or "",
            self.size_combo.currentData() or "",
            self.image_combo.currentData() or "",
            self.count_spin.value(),
            parse_tags(self.tags_edit.text()),
        )

    def _on_form_busy_changed(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)
        self.create_button.setText("Creating…" if busy else "Create cluster")

    def error_for(self, key: str) -> QLabel:
        """The error label of one field ("name", "region", "size", "image", "count", "tags")."""
        return self.errors.label(key)

    def _on_cluster_created(self, _cluster: Cluster) -> None:
        self.name_edit.clear()
        self.tags_edit.clear()
        # Ready for the next one, but only if the user is still in the form: the reply may
        # come after they moved on (the focus stays where they are).
        focus = QApplication.focusWidget()
        if focus is None or focus is self or self.isAncestorOf(focus):
            self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
