"""MainWindow: sidebar navigation, the panels, a connection status bar and the menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from clustergenie_gui.client.auth_types import Identity
from clustergenie_gui.models.row_table_model import monospace_font
from clustergenie_gui.server_choice import ServerChoice
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionViewModel
from clustergenie_gui.widgets.common import STATE_DOT_TONES
from clustergenie_gui.widgets.components.theme import set_role, set_tone
from clustergenie_gui.widgets.settings_dialog import SettingsDialog


class MainWindow(QMainWindow):
    """The application window; panels are added by the wiring code with add_panel().

    Signals:
        server_choice_requested(ServerChoice): the user accepted new server settings.
        closed(): the window was closed (the app then shuts down).
    """

    server_choice_requested = Signal(object)
    closed = Signal()

    def __init__(self, connection: ConnectionViewModel, server_choice: ServerChoice) -> None:
        super().__init__()
        self.setWindowTitle("ClusterGenie")
        self.resize(1320, 820)
        self._server_choice = server_choice
        self._address = ""
        self.settings_dialog: SettingsDialog | None = None
        self._painted = False
        self._after_paint: list[Callable[[], object]] = []

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(180)
        self.sidebar.setIconSize(QSize(0, 0))
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.connection_dot = QLabel("●")
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connection_state")
        self.address_label = QLabel()
        self.address_label.setObjectName("server_address_label")
        self.address_label.setFont(monospace_font())
        set_role(self.address_label, "muted")
        self.identity_label = QLabel()
        self.identity_label.setObjectName("identity_label")
        set_role(self.identity_label, "muted")
        self.statusBar().addWidget(self.connection_dot)
        self.statusBar().addWidget(self.connection_label, 1)
        self.statusBar().addPermanentWidget(self.identity_label)
        self.statusBar().addPermanentWidget(self.address_label)
        self._build_menu()

        connection.connection_changed.connect(self._on_connection_changed)
        connection.address_changed.connect(self._on_address_changed)
        connection.identity_changed.connect(self._on_identity_changed)
        self._on_identity_changed(connection.identity)
        self._on_connection_changed(connection.state.value, connection.message)
        self._on_address_changed(connection.address)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.settings_action = QAction("&Settings…", self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self._on_settings_triggered)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        # Opened by the application, which owns the audit view-model (admins only).
        self.audit_action = QAction("&Audit log…", self)
        menu.addAction(self.settings_action)
        menu.addAction(self.audit_action)
        menu.addSeparator()
        menu.addAction(quit_action)

    def add_panel(self, title: str, panel: QWidget) -> None:
        """Add a sidebar entry showing panel."""
        self.sidebar.addItem(title)
        self.stack.addWidget(panel)
        if self.sidebar.currentRow() < 0:
            self.sidebar.setCurrentRow(0)

    def after_first_paint(self, work: Callable[[], object]) -> None:
        """Run work from the event loop once the window has painted (soon, if it has).

        For what the first frame does not need (pyqtgraph, the graphs of hidden panels): a
        window that waits for none of it shows sooner. The pieces run one per turn of the
        loop, so input and the connection's events get in between.
        """
        self._after_paint.append(work)
        if self._painted and len(self._after_paint) == 1:
            QTimer.singleShot(0, self._run_after_paint)

    def _run_after_paint(self) -> None:
        work = self._after_paint.pop(0)
        if self._after_paint:
            QTimer.singleShot(0, self._run_after_paint)
        work()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The first paint releases the work queued by after_first_paint."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            if self._after_paint:
                # Queued: the frame being painted is flushed before any of it runs.
                QTimer.singleShot(0, self._run_after_paint)

    def show_panel(self, title: str) -> None:
        """Switch to the panel with title."""
        matches = self.sidebar.findItems(title, Qt.MatchFlag.MatchExactly)
        if matches:
            self.sidebar.setCurrentItem(matches[0])

    def set_server_choice(self, choice: ServerChoice) -> None:
        """Remember the server settings the dialog starts from."""
        self._server_choice = choice
        self._on_address_changed(self._address)

    def _on_settings_triggered(self) -> None:
        self.settings_dialog = SettingsDialog(self._server_choice, self)
        self.settings_dialog.accepted.connect(self._on_settings_accepted)
        self.settings_dialog.open()

    def _on_settings_accepted(self) -> None:
        if self.settings_dialog is not None:
            choice = self.settings_dialog.choice()
            if choice != self._server_choice:
                self._server_choice = choice
                self.server_choice_requested.emit(choice)

    def _on_connection_changed(self, state: str, message: str) -> None:
        set_tone(self.connection_dot, STATE_DOT_TONES.get(state, "idle"))
        self.connection_label.setText(message)
        self.connection_label.setProperty("state", state)

    def _on_identity_changed(self, identity: Identity | None) -> None:
        self.identity_label.setText(
            "" if identity is None else f"{identity.name} ({identity.role.label})"
        )
        self.identity_label.setToolTip(
            "" if identity is None else "The token's name and role on this server."
        )

    def _on_address_changed(self, address: str) -> None:
        self._address = address
        kind = "bundled server" if self._server_choice.bundled else "server"
        self.address_label.setText(f"{kind} {address}" if address else f"{kind}: none yet")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Tell the wiring code to shut down, then close."""
        self.closed.emit()
        super().closeEvent(event)
