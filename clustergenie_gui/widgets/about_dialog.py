"""AboutDialog: what ClusterGenie is, and the versions of the app and its server (Help → About)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from clustergenie_gui.client.info_types import ServerInfo
from clustergenie_gui.viewmodels.about_viewmodel import AboutViewModel
from clustergenie_gui.widgets.common import ErrorLabel


class AboutDialog(QDialog):
    """The app's versions at once; the server's once it answers (or why it cannot)."""

    def __init__(self, about: AboutViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About ClusterGenie")
        self.setMinimumWidth(460)
        title = QLabel(f"<h2>ClusterGenie {about.versions['ClusterGenie']}</h2>")
        blurb = QLabel(
            "A desktop cluster-management assistant over a simulated DigitalOcean-style cloud."
        )
        blurb.setWordWrap(True)
        app_form = QFormLayout()
        for name in ("Qt", "PySide6", "grpcio", "Python"):
            app_form.addRow(f"{name}:", _selectable(about.versions[name]))
        self.server_label = _selectable("asking the server…")
        self.server_label.setObjectName("server_version")
        self.backends_label = _selectable("")
        self.backends_label.setObjectName("server_backends")
        server_form = QFormLayout()
        server_form.addRow("Server:", self.server_label)
        server_form.addRow("Runs on:", self.backends_label)
        self.time_scale_label = _selectable("")
        server_form.addRow("Time scale:", self.time_scale_label)
        self.error_label = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addLayout(app_form)
        layout.addLayout(server_form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        about.server_info_changed.connect(self._on_server_info_changed)
        about.error.connect(self._on_error)
        self._on_server_info_changed(about.server_info)

    def _on_server_info_changed(self, info: ServerInfo | None) -> None:
        if info is None:
            self.server_label.setText("unknown")
            self.backends_label.setText("")
            self.time_scale_label.setText("")
            return
        runtime = f"grpcio {info.grpcio_version}, Python {info.python_version}"
        self.server_label.setText(f"ClusterGenie {info.version} ({runtime})")
        tls = ", TLS" if info.tls else ""
        self.backends_label.setText(
            f"database {info.database}, bus {info.bus}, cache {info.cache}{tls}"
        )
        self.time_scale_label.setText(
            f"×{info.time_scale:g} (simulated time runs this much faster)"
        )

    def _on_error(self, message: str) -> None:
        self.error_label.show_message(message)


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
