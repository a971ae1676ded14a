"""MainWindow: sidebar navigation, the panels, a connection status bar and the menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from clustergenie_gui.client.auth_types import Identity
from clustergenie_gui.models.components.command_registry import CommandRegistry
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.row_table_model import monospace_font
from clustergenie_gui.server_choice import ServerChoice
from clustergenie_gui.settings_store import Preferences
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionViewModel
from clustergenie_gui.widgets.common import STATE_DOT_TONES
from clustergenie_gui.widgets.components.command_palette import CommandPalette
from clustergenie_gui.widgets.components.data_table import DataTable
from clustergenie_gui.widgets.components.shortcut_sheet import ShortcutSheet
from clustergenie_gui.widgets.components.theme import set_role, set_tone
from clustergenie_gui.widgets.settings_dialog import SettingsDialog


class MainWindow(QMainWindow):
    """The application window; panels are added by the wiring code with add_panel().

    Keyboard: Ctrl+1…7 switch panels, Ctrl+K / Ctrl+P open the command palette (once
    set_command_registry was called), Ctrl+F focuses the current panel's table filter, Ctrl+L
    shows the logs of the current panel's selection, F1 or ? shows the shortcut sheet.
    navigate(Navigation) opens a panel filtered (cards, links).

    Signals:
        server_choice_requested(ServerChoice): the user accepted new server settings.
        preferences_changed(Preferences): the user accepted a new theme or notification choice.
        closed(): the window was closed (the app then shuts down).
        panel_changed(str): the title of the panel now shown.
    """

    server_choice_requested = Signal(object)
    preferences_changed = Signal(object)
    closed = Signal()
    panel_changed = Signal(str)

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
        self.sidebar.currentRowChanged.connect(self._on_sidebar_row_changed)
        self.sidebar.setAccessibleName("Panels")
        self.command_palette: CommandPalette | None = None
        self.shortcut_sheet: ShortcutSheet | None = None
        self.preferences = Preferences()
        self._install_shortcuts()

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
        # Help → About: opened by the application, which owns the about view-model.
        self.about_action = QAction("&About ClusterGenie…", self)
        self.help_menu = self.menuBar().addMenu("&Help")
        self.help_menu.addAction(self.about_action)

    def add_menu(self, menu: QMenu) -> None:
        """Add a menu to the menu bar before Help, which stays last."""
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)

    def _install_shortcuts(self) -> None:
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.show_panel_at(row))
        for keys in ("Ctrl+K", "Ctrl+P"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.open_command_palette)
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.focus_filter)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.show_selection_logs)
        for keys in ("F1", "?"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.open_shortcut_sheet)

    def set_command_registry(self, registry: CommandRegistry) -> None:
        """The commands Ctrl+K finds (the app wiring fills it)."""
        self.command_palette = CommandPalette(registry, self)

    def open_command_palette(self) -> None:
        """Show the command palette (Ctrl+K, Ctrl+P)."""
        if self.command_palette is not None:
            self.command_palette.open_palette()

    def open_shortcut_sheet(self) -> ShortcutSheet:
        """Show every shortcut (F1, ?)."""
        self.shortcut_sheet = ShortcutSheet(self)
        self.shortcut_sheet.open()
        return self.shortcut_sheet

    def focus_filter(self) -> None:
        """Put the cursor in the filter of the table in use (Ctrl+F, or / in a table)."""
        panel = self.stack.currentWidget()
        if panel is None:
            return
        tables = [t for t in panel.findChildren(DataTable) if t.isVisible()]
        focused = QApplication.focusWidget()
        for table in tables:
            if focused is not None and table.isAncestorOf(focused):
                table.focus_filter()
                return
        if tables:
            tables[0].focus_filter()

    def show_panel_at(self, row: int) -> None:
        """Show the row-th panel (Ctrl+1 is 0) and move the focus into it."""
        if 0 <= row < self.sidebar.count():
            self.sidebar.setCurrentRow(row)
            panel = self.stack.currentWidget()
            if panel is not None:
                panel.setFocus(Qt.FocusReason.ShortcutFocusReason)
                panel.focusNextChild()

    def navigate(self, nav: Navigation) -> None:
        """Show nav.panel and let it apply the filter and selection (when it can)."""
        self.show_panel(nav.panel)
        panel = self.stack.currentWidget()
        apply = getattr(panel, "apply_navigation", None)
        if callable(apply) and self.current_panel_title() == nav.panel:
            apply(nav)

    def selection_logs(self) -> Navigation | None:
        """Where the logs of the current panel's selection are (None: it has none)."""
        target = getattr(self.stack.currentWidget(), "logs_navigation", None)
        nav = target() if callable(target) else None
        return nav if isinstance(nav, Navigation) else None

    def show_selection_logs(self) -> None:
        """Ctrl+L: the Logs panel filtered to the selected droplet, cluster, check or finding."""
        nav = self.selection_logs()
        if nav is not None:
            self.navigate(nav)

    def current_panel_title(self) -> str:
        """The title of the panel shown ("" before any)."""
        item = self.sidebar.currentItem()
        return item.text() if item is not None else ""

    def panel_titles(self) -> list[str]:
        """Every panel's title, in sidebar order."""
        return [self.sidebar.item(row).text() for row in range(self.sidebar.count())]

    def _on_sidebar_row_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.panel_changed.emit(self.current_panel_title())

    def add_panel(self, title: str, panel: QWidget) -> None:
        """Add a sidebar entry showing panel (Ctrl+<position> shows it)."""
        self.sidebar.addItem(title)
        position = self.sidebar.count()
        self.sidebar.item(position - 1).setToolTip(f"{title} (Ctrl+{position})")
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
        self.settings_dialog = SettingsDialog(self._server_choice, self, self.preferences)
        self.settings_dialog.accepted.connect(self._on_settings_accepted)
        self.settings_dialog.open()

    def _on_settings_accepted(self) -> None:
        if self.settings_dialog is not None:
            preferences = self.settings_dialog.preferences()
            if preferences != self.preferences:
                self.preferences = preferences
                self.preferences_changed.emit(preferences)
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
