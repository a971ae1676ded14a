"""HealthMenu: Health → Maintenance windows… and Notification channels… (admins only), and
the same two as buttons on the Health panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QBoxLayout, QDialog, QMenu, QToolButton, QWidget

from clustergenie_gui.client.auth_types import Role
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.viewmodels.health_admin_viewmodel import HealthAdminViewModel
from clustergenie_gui.widgets.channels_dialog import ChannelsDialog
from clustergenie_gui.widgets.maintenance_dialog import MaintenanceDialog
from clustergenie_gui.widgets.role_gate import RoleGate


class HealthMenu(QMenu):
    """The admin dialogs of Health; each opens non-modally (one of each, reused)."""

    def __init__(
        self,
        vm: HealthAdminViewModel,
        clusters: ClusterListModel,
        cluster_name: Callable[[int], str],
        gate: RoleGate,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Heal&th", parent)
        self._vm, self._clusters, self._cluster_name = vm, clusters, cluster_name
        self.maintenance_dialog: MaintenanceDialog | None = None
        self.channels_dialog: ChannelsDialog | None = None
        self.maintenance_action = self.addAction("&Maintenance windows…")
        self.maintenance_action.setIconText("Maintenance…")
        self.channels_action = self.addAction("Notification &channels…")
        self.channels_action.setIconText("Channels…")
        for action, tip in (
            (self.maintenance_action, "When alerts are silenced and uptime is not counted"),
            (self.channels_action, "Where alerts are sent, and what was sent (the delivery log)"),
        ):
            action.setToolTip(tip)
            gate.add(action, Role.ADMIN)  # the server allows the changes to admins only
        self.maintenance_action.triggered.connect(self.open_maintenance)
        self.channels_action.triggered.connect(self.open_channels)

    def add_buttons(self, layout: QBoxLayout) -> None:
        """Buttons for the two actions (they follow the actions' enabled state and tooltip)."""
        for action in (self.maintenance_action, self.channels_action):
            button = QToolButton()
            button.setDefaultAction(action)
            layout.addWidget(button)

    def open_maintenance(self) -> MaintenanceDialog:
        """Show the maintenance windows, read afresh."""
        if self.maintenance_dialog is None:
            self.maintenance_dialog = MaintenanceDialog(
                self._vm, self._clusters, self._cluster_name, self.parentWidget()
            )
        self.maintenance_dialog.reload()
        _show(self.maintenance_dialog)
        return self.maintenance_dialog

    def open_channels(self) -> ChannelsDialog:
        """Show the channels and the delivery log, read afresh."""
        if self.channels_dialog is None:
            self.channels_dialog = ChannelsDialog(self._vm, self.parentWidget())
        self.channels_dialog.reload()
        _show(self.channels_dialog)
        return self.channels_dialog


def _show(dialog: QDialog) -> None:
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
