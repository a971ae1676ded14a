"""SettingsDialog: bundled server or host:port with token file and TLS CA, validated inline."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.server_choice import ServerChoice, address_problem, file_problem
from clustergenie_gui.settings_store import Preferences
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.theme import set_role


class SettingsDialog(QDialog):
    """Server connection settings; OK is refused (with a message) while the address is invalid."""

    def __init__(
        self,
        current: ServerChoice,
        parent: QWidget | None = None,
        preferences: Preferences | None = None,
    ) -> None:
        super().__init__(parent)
        preferences = preferences or Preferences()
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
        # Paths only: a token typed here would end up in settings files and screenshots.
        self.token_file_edit = QLineEdit(current.token_file)
        self.token_file_edit.setObjectName("token_file")
        self.token_file_edit.setPlaceholderText("token file (empty: CLUSTERGENIE_TOKEN)")
        self.tls_ca_edit = QLineEdit(current.tls_ca)
        self.tls_ca_edit.setObjectName("tls_ca")
        self.tls_ca_edit.setPlaceholderText("CA certificate (PEM) for TLS (empty: plaintext)")
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
        set_role(title, "section")
        layout.addWidget(title)
        layout.addWidget(self.bundled_radio)
        layout.addWidget(self.remote_radio)
        layout.addWidget(self.address_edit)
        remote_form = QFormLayout()
        remote_form.addRow("Token file:", self.token_file_edit)
        remote_form.addRow("TLS CA:", self.tls_ca_edit)
        layout.addLayout(remote_form)
        layout.addWidget(self.error_label)
        appearance = QLabel("Appearance and notifications")
        set_role(appearance, "section")
        layout.addWidget(appearance)
        self.theme_combo = QComboBox()
        self.theme_combo.setObjectName("theme_choice")
        for key, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme_combo.addItem(label, key)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(preferences.theme)))
        self.notify_check = QCheckBox("Notify me (system tray) when a job fails")
        self.notify_check.setObjectName("notify_failed_jobs")
        self.notify_check.setChecked(preferences.notify_failed_jobs)
        look = QFormLayout()
        look.addRow("Theme:", self.theme_combo)
        layout.addLayout(look)
        layout.addWidget(self.notify_check)
        layout.addStretch(1)
        layout.addWidget(buttons)

        (self.bundled_radio if current.bundled else self.remote_radio).setChecked(True)
        self.remote_radio.toggled.connect(self._on_mode_toggled)
        for edit in (self.address_edit, self.token_file_edit, self.tls_ca_edit):
            edit.textEdited.connect(lambda _text: self.error_label.show_message(""))
        self._on_mode_toggled(self.remote_radio.isChecked())

    def choice(self) -> ServerChoice:
        """The settings as entered."""
        if self.bundled_radio.isChecked():
            return ServerChoice(bundled=True)
        return ServerChoice(
            bundled=False,
            address=self.address_edit.text().strip(),
            token_file=self.token_file_edit.text().strip(),
            tls_ca=self.tls_ca_edit.text().strip(),
        )

    def preferences(self) -> Preferences:
        """Theme and notifications as chosen."""
        return Preferences(str(self.theme_combo.currentData()), self.notify_check.isChecked())

    def _on_mode_toggled(self, remote: bool) -> None:
        for edit in (self.address_edit, self.token_file_edit, self.tls_ca_edit):
            edit.setEnabled(remote)
        self.error_label.show_message("")

    def _on_ok_clicked(self) -> None:
        choice = self.choice()
        problem = (
            ""
            if choice.bundled
            else (
                address_problem(choice.address)
                or file_problem(choice.token_file, "token file")
                or file_problem(choice.tls_ca, "CA certificate")
            )
        )
        self.error_label.show_message(problem)
        if not problem:
            self.accept()
