"""SettingsDialog: choose the bundled server or a host:port, with inline validation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.server_choice import ServerChoice, address_problem
from clustergenie_gui.widgets.common import ErrorLabel


class SettingsDialog(QDialog):
    """Server connection settings; OK is refused (with a message) while the address is invalid."""

    def __init__(self, current: ServerChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(460)
        self.bundled_radio = QRadioButton("Bundled server (started and stopped by ClusterGenie)")
        self.remote_radio = QRadioButton("Server at this address:")
        group = QButtonGroup(self)
        group.addButton(self.bundled_radio)
        group.addButton(self.remote_radio)
        self.address_edit = QLineEdit(current.address)
        self.address_edit.setObjectName("server_address")
        self.address_edit.setPlaceholderText("host:port, e.g. 127.0.0.1:50051")
        self.error_label = ErrorLabel()
        self.error_label.setObjectName("settings_error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        title = QLabel("Server")
        title.setStyleSheet("font-weight: 600;")
        layout.addWidget(title)
        layout.addWidget(self.bundled_radio)
        layout.addWidget(self.remote_radio)
        layout.addWidget(self.address_edit)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(buttons)

        (self.bundled_radio if current.bundled else self.remote_radio).setChecked(True)
        self.remote_radio.toggled.connect(self._on_mode_toggled)
        self.address_edit.textEdited.connect(lambda _text: self.error_label.show_message(""))
        self._on_mode_toggled(self.remote_radio.isChecked())

    def choice(self) -> ServerChoice:
        """The settings as entered."""
        if self.bundled_radio.isChecked():
            return ServerChoice(bundled=True)
        return ServerChoice(bundled=False, address=self.address_edit.text().strip())

    def _on_mode_toggled(self, remote: bool) -> None:
        self.address_edit.setEnabled(remote)
        self.error_label.show_message("")

    def _on_ok_clicked(self) -> None:
        choice = self.choice()
        problem = "" if choice.bundled else address_problem(choice.address)
        self.error_label.show_message(problem)
        if not problem:
            self.accept()
