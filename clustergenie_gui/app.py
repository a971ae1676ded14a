"""The one wiring place of the desktop app: QApplication, the qasync loop, and every object."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import qasync
from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from clustergenie_gui import resources_rc  # noqa: F401 - registers :/clustergenie/* with Qt
from clustergenie_gui.client import ClusterGenieClient
from clustergenie_gui.client.auth_types import Credentials, Role
from clustergenie_gui.client.diagnosis_client import DiagnosisClient
from clustergenie_gui.client.health_admin_client import HealthAdminClient
from clustergenie_gui.client.health_client import HealthClient
from clustergenie_gui.client.logs_client import LogsClient
from clustergenie_gui.demo_wiring import demo_server_args, install_demo
from clustergenie_gui.desktop_wiring import credentials_reloader, install_desktop
from clustergenie_gui.models.components.command_registry import CommandRegistry
from clustergenie_gui.server_choice import (
    CredentialsError,
    ServerChoice,
    address_problem,
    file_problem,
    load_credentials,
)
from clustergenie_gui.server_process import BundledServer
from clustergenie_gui.settings_store import SettingsStore
from clustergenie_gui.versions import version_text
from clustergenie_gui.viewmodels.about_viewmodel import AboutViewModel
from clustergenie_gui.viewmodels.audit_viewmodel import AuditViewModel
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionViewModel
from clustergenie_gui.viewmodels.diagnosis_viewmodel import DiagnosisViewModel
from clustergenie_gui.viewmodels.faults_viewmodel import FaultsViewModel
from clustergenie_gui.viewmodels.graph_notes_viewmodel import GraphNotesViewModel
from clustergenie_gui.viewmodels.health_admin_viewmodel import HealthAdminViewModel
from clustergenie_gui.viewmodels.health_viewmodel import HealthViewModel
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.viewmodels.logs_viewmodel import LogsViewModel
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.viewmodels.telemetry_viewmodel import TelemetryViewModel
from clustergenie_gui.widgets.about_dialog import AboutDialog
from clustergenie_gui.widgets.audit_dialog import AuditLogDialog
from clustergenie_gui.widgets.components.notifier import TrayNotifier
from clustergenie_gui.widgets.components.theme import ThemeManager
from clustergenie_gui.widgets.diagnose_panel import DiagnosePanel
from clustergenie_gui.widgets.faults_menu import FaultsMenu
from clustergenie_gui.widgets.health_menu import HealthMenu
from clustergenie_gui.widgets.health_panel import HealthPanel, UnhealthyTile, notify_system
from clustergenie_gui.widgets.jobs_panel import JobsPanel
from clustergenie_gui.widgets.logs_panel import LogsPanel
from clustergenie_gui.widgets.main_window import MainWindow
from clustergenie_gui.widgets.overview_panel import OverviewPanel
from clustergenie_gui.widgets.provision_panel import ProvisionPanel
from clustergenie_gui.widgets.role_gate import RoleGate
from clustergenie_gui.widgets.scaling_panel import ScalingPanel

log = logging.getLogger(__name__)

APP_ICON = ":/clustergenie/clustergenie.svg"  # resources/, compiled into resources_rc

HEADLESS_MESSAGE = (
    "clustergenie: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app "
    "cannot open a window.\nRun the headless server instead:  clustergenie-server --help\n"
    "or set QT_QPA_PLATFORM (e.g. offscreen) if you know what you are doing.\n"
)


@dataclass(frozen=True, slots=True)
class AppOptions:
    """Command-line options of the desktop app."""

    server: str | None = None
    time_scale: float | None = None
    failure_rate: float | None = None
    database_url: str | None = None
    token_file: str = ""  # for --server; else CLUSTERGENIE_TOKEN
    tls_ca: str = ""  # for --server over TLS
    demo: bool = False  # the bundled server plays the scripted demo (a fresh database)

    def bundled_args(self) -> list[str]:
        """Flags passed through to the bundled server."""
        args: list[str] = []
        if self.time_scale is not None:
            args += ["--time-scale", str(self.time_scale)]
        if self.failure_rate is not None:
            args += ["--failure-rate", str(self.failure_rate)]
        if self.database_url is not None:
            args += ["--database-url", self.database_url]
        if self.demo:
            args += demo_server_args(self.database_url)
        return args


class Application(QObject):
    """Builds the client, view-models, window and bundled server, and connects them."""

    def __init__(self, options: AppOptions, store: SettingsStore | None = None) -> None:
        super().__init__()
        self.store = store or SettingsStore()
        # The command line wins; else the server chosen last time; else the bundled one.
        self.choice = (
            ServerChoice(
                bundled=False,
                address=options.server,
                token_file=options.token_file,
                tls_ca=options.tls_ca,
            )
            if options.server
            else (None if options.demo else self.store.server_choice()) or ServerChoice()
        )
        self.client = ClusterGenieClient()
        self.connection = ConnectionViewModel(self.client, parent=self)
        self.provisioning = ProvisioningViewModel(self.client, parent=self)
        self.jobs = JobsViewModel(self.client, parent=self)
        self.scaling = ScalingViewModel(self.client, parent=self)
        self.telemetry = TelemetryViewModel(self.client, parent=self)
        self.faults = FaultsViewModel(self.client, parent=self)
        self.audit = AuditViewModel(self.client, parent=self)
        self.health = HealthViewModel(HealthClient(self.client.channel), parent=self)
        self.logs = LogsViewModel(LogsClient(self.client), parent=self)
        self.audit_dialog: AuditLogDialog | None = None
        self.about = AboutViewModel(self.client, parent=self)
        self.about_dialog: AboutDialog | None = None
        self.bundled = BundledServer(options.bundled_args(), parent=self)
        self.window = MainWindow(self.connection, self.choice)
        self.overview_panel = OverviewPanel(
            self.connection, self.provisioning, self.jobs, self.telemetry
        )
        self.window.add_panel("Overview", self.overview_panel)
        diagnosis_client = DiagnosisClient(self.client)  # DiagnosisService and DeployService
        self.diagnosis = DiagnosisViewModel(diagnosis_client, parent=self)
        # The faults and deploys the metric graphs shade and mark.
        self.graph_notes = GraphNotesViewModel(self.client, diagnosis_client, parent=self)
        self.diagnose_panel = DiagnosePanel(
            self.diagnosis, self.provisioning.clusters, self.provisioning.droplets
        )
        self.window.add_panel("Diagnose", self.diagnose_panel)
        self.provision_panel = ProvisionPanel(self.provisioning)
        self.window.add_panel("Provision", self.provision_panel)
        self.scaling_panel = ScalingPanel(self.scaling, self.provisioning.clusters)
        self.window.add_panel("Scaling", self.scaling_panel)
        # Its graph (and pyqtgraph, which the sparklines use too) once the window shows.
        self.window.after_first_paint(self.scaling_panel.build_graph)
        self.jobs_panel = JobsPanel(self.jobs)
        self.window.add_panel("Jobs", self.jobs_panel)
        self.role_gate = RoleGate(self)
        self.diagnose_panel.set_gate(lambda widget: self.role_gate.add(widget, Role.OPERATOR))
        self.faults_menu = FaultsMenu(
            self.faults,
            self.provisioning.clusters,
            self.provisioning.droplets,
            lambda: self.scaling.cluster_id,
            self.role_gate,
            self.window,
        )
        self.window.add_menu(self.faults_menu)
        self._gate_actions()
        self.health_panel = HealthPanel(self.health, self._cluster_name)
        self.window.add_panel("Health", self.health_panel)
        panel = self.health_panel
        for button in (panel.run_button, panel.pause_button, panel.resume_button):
            self.role_gate.add(button, Role.OPERATOR)
        for admin_widget in (panel.form, panel.edit_button, panel.delete_button):
            self.role_gate.add(admin_widget, Role.ADMIN)
        # Maintenance windows and notification channels: a menu and the panel's buttons.
        self.health_admin = HealthAdminViewModel(HealthAdminClient(self.client.channel), self)
        self.health_menu = HealthMenu(
            self.health_admin, self.provisioning.clusters, self._cluster_name, self.role_gate,
            self.window,
        )  # fmt: skip
        self.window.add_menu(self.health_menu)
        self.health_menu.add_buttons(panel.tools)
        self.unhealthy_tile = UnhealthyTile(self.health)
        self.overview_panel.add_tile(self.unhealthy_tile)
        self.logs_panel = LogsPanel(self.logs)
        self.window.add_panel("Logs", self.logs_panel)
        self._closed = asyncio.Event()
        self._failure_box: QMessageBox | None = None
        self._connect_signals()
        # Theme, command palette, navigation, notifications, saved state (desktop_wiring.py).
        self.theme: ThemeManager | None = None
        self.notifier: TrayNotifier
        self.commands: CommandRegistry
        install_desktop(self)
        self.demo_banner = install_demo(self)

    def _gate_actions(self) -> None:
        """What each role may do; the server enforces the same table (method_roles.py)."""
        provision, scaling = self.provision_panel, self.scaling_panel
        operator = [
            provision.form.create_button,
            provision.add_count,
            provision.add_button,
            provision.delete_button,
            *provision.action_buttons.values(),
            self.jobs_panel.cancel_button,
            self.jobs_panel.retry_button,
            scaling.scale_control.count_spin,
            scaling.scale_control.scale_button,
        ]
        for widget in operator:
            self.role_gate.add(widget, Role.OPERATOR)
        for item in (
            scaling.editor.fields,
            scaling.editor.save_button,
            scaling.editor.delete_button,
            self.window.audit_action,
        ):
            self.role_gate.add(item, Role.ADMIN)
        # The Faults menu gates its own items and dialogs (they are made on demand).

    def _connect_signals(self) -> None:
        self.connection.connection_changed.connect(self.provisioning._on_connection_changed)
        self.connection.connection_changed.connect(self.jobs._on_connection_changed)
        self.connection.connection_changed.connect(self.scaling._on_connection_changed)
        self.connection.connection_changed.connect(self.telemetry._on_connection_changed)
        self.connection.connection_changed.connect(self.logs._on_connection_changed)
        self.connection.identity_changed.connect(self.role_gate.set_identity)
        self.connection.connection_changed.connect(self.health._on_connection_changed)
        self.health.notice.connect(self._on_health_notice)
        self.health_admin.maintenance_changed.connect(self.health.reload_uptime)
        # A droplet's transient state ("resizing…") comes from the jobs stream, so an action
        # started by the CLI or another window shows too, until its job ends.
        self.jobs.job_updated.connect(self.provisioning.droplets.follow_job)
        self.jobs.job_updated.connect(self.graph_notes.on_job)  # a deploy: its marker
        self.connection.connection_changed.connect(self.graph_notes.on_connection_changed)
        self.unhealthy_tile.clicked.connect(lambda: self.window.show_panel("Health"))
        self.provisioning.inventory_changed.connect(self._on_inventory_changed)
        self.bundled.ready.connect(self._on_bundled_ready)
        self.bundled.failed.connect(self._on_bundled_failed)
        self.window.server_choice_requested.connect(self._on_server_choice_requested)
        self.window.audit_action.triggered.connect(self.open_audit_log)
        self.window.about_action.triggered.connect(self.open_about)
        self.window.closed.connect(self._closed.set)
        self.window.closed.connect(
            lambda: self.store.save_window_geometry(self.window.saveGeometry())
        )

    def _cluster_name(self, cluster_id: int) -> str:
        """A cluster's name for the Health grid (its id while the inventory has not loaded)."""
        found = [c.name for c in self.provisioning.clusters.items() if c.id == cluster_id]
        return found[0] if found else f"cluster {cluster_id}"

    def _on_health_notice(self, text: str) -> None:
        """A transition or alert: the status bar, and a system notification for alerts."""
        self.window.statusBar().showMessage(text, 15_000)
        if text.startswith(("opened:", "reminder:", "resolved:", "diagnosed:")):
            notify_system(self.window, "ClusterGenie health", text)

    def start(self) -> None:
        """Connect to the chosen server, starting the bundled one if that is the choice."""
        self._apply_choice(self.choice)

    async def run(self) -> None:
        """Show the window, run until it closes, then shut down cleanly."""
        if geometry := self.store.window_geometry():
            self.window.restoreGeometry(geometry)
        self.window.show()
        self.start()
        # The app's process only (not tests that build an Application): see the function.
        self.window.after_first_paint(freeze_startup_objects)
        await self._closed.wait()
        await self.shutdown()

    async def shutdown(self) -> None:
        """Stop the streams, close the channel and stop the bundled server."""
        self.provisioning.stop()
        self.jobs.stop()
        self.scaling.stop()
        self.telemetry.stop()
        self.health.stop()
        self.logs.stop()
        self.demo_banner.view_model.stop()
        self.graph_notes.stop()
        await self.connection.shutdown()
        if self.bundled.running:
            stopped: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def _on_stopped() -> None:
                if not stopped.done():
                    stopped.set_result(None)

            self.bundled.stopped.connect(_on_stopped)
            self.bundled.stop()
            await stopped

    def _apply_choice(self, choice: ServerChoice) -> None:
        self.choice = choice
        self.window.set_server_choice(choice)
        if choice.bundled:
            self.connection.set_credentials_source(None, "the bundled server's token")
            if self.bundled.address:
                self.connection.connect_to(self.bundled.address, Credentials(self.bundled.token))
            else:
                self.connection.set_starting("Starting the bundled server…")
                self.bundled.start()
        else:
            if self.bundled.running:
                self.bundled.stop()
            self.connection.set_credentials_source(*credentials_reloader(choice))
            try:
                credentials = load_credentials(choice)
            except CredentialsError as error:
                self.connection.set_unavailable(f"{error} Check File → Settings….")
                return
            self.connection.connect_to(choice.address, credentials)

    def _on_inventory_changed(self) -> None:
        self.telemetry.set_clusters(self.provisioning.clusters.items())

    def open_audit_log(self) -> AuditLogDialog:
        """Show the audit log (one dialog, reused) with the newest entries."""
        if self.audit_dialog is None:
            self.audit_dialog = AuditLogDialog(self.audit, self.window)
        self.audit_dialog.show()
        self.audit_dialog.raise_()
        self.audit_dialog.load()
        return self.audit_dialog

    def open_about(self) -> AboutDialog:
        """Show the About box (one dialog, reused) and ask the server for its versions."""
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self.about, self.window)
        self.about_dialog.show()
        self.about_dialog.raise_()
        self.about.load()
        return self.about_dialog

    def _on_server_choice_requested(self, choice: ServerChoice) -> None:
        log.info("switching to %s", choice.describe())
        self.store.save_server_choice(choice)
        self._apply_choice(choice)

    def _on_bundled_ready(self, address: str) -> None:
        if self.choice.bundled:
            self.connection.connect_to(address, Credentials(self.bundled.token))

    def _on_bundled_failed(self, message: str) -> None:
        log.error("%s", message)
        if not self.choice.bundled:
            return
        self.connection.set_unavailable(
            message.splitlines()[0] + " Choose another server in File → Settings…"
        )
        self._failure_box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Bundled server",
            message,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        self._failure_box.open()


def parse_args(argv: Sequence[str] | None) -> AppOptions:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="clustergenie", description="ClusterGenie desktop app.")
    parser.add_argument(
        "--server", metavar="HOST:PORT", help="use this server instead of starting the bundled one"
    )
    parser.add_argument(
        "--token-file",
        metavar="FILE",
        default="",
        help="with --server: read the token from FILE (else CLUSTERGENIE_TOKEN); "
        "a token is never given on the command line",
    )
    parser.add_argument(
        "--tls-ca",
        metavar="FILE",
        default="",
        help="with --server: connect over TLS, trusting the CA certificate in FILE (PEM)",
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        metavar="X",
        help="passed to the bundled server: simulated durations are divided by X",
    )
    parser.add_argument(
        "--failure-rate",
        type=float,
        metavar="P",
        help="passed to the bundled server: share of provisions that fail",
    )
    parser.add_argument(
        "--database-url", metavar="URL", help="passed to the bundled server (default: its own)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the bundled server with the scripted demo (docs/DEMO.md) on a fresh "
        "database, with a banner saying what is about to happen",
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="print the versions of the app, Qt and grpcio (the server's: Help → About)",
    )
    args = parser.parse_args(argv)
    if args.version:
        sys.stdout.write(version_text())
        raise SystemExit(0)
    if args.server and (problem := address_problem(args.server)):
        parser.error(f"--server: {problem}")
    for flag, path, what in (
        ("--token-file", args.token_file, "token file"),
        ("--tls-ca", args.tls_ca, "CA certificate"),
    ):
        if problem := file_problem(path, what):
            parser.error(f"{flag}: {problem}")
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return AppOptions(
        args.server,
        args.time_scale,
        args.failure_rate,
        args.database_url,
        args.token_file,
        args.tls_ca,
        args.demo and not args.server,
    )


def freeze_startup_objects() -> None:
    """Leave what start-up made (modules, classes, widgets: ~80,000 objects) out of every later
    full garbage collection.

    A full collection walks every tracked object while the Qt thread waits: with 1,000
    droplets shown, one took 70 ms inside a frame (the bench's worst). Frozen objects are
    still freed by reference counting; only cycles among them would never be collected.
    """
    gc.collect()
    gc.freeze()


def has_display() -> bool:
    """False on Linux without X11/Wayland, unless QT_QPA_PLATFORM picks a platform."""
    if not sys.platform.startswith("linux"):
        return True
    env = os.environ
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app; returns the process exit code."""
    options = parse_args(argv)
    if not has_display():
        sys.stderr.write(HEADLESS_MESSAGE)
        return 2
    app = QApplication(sys.argv[:1])
    app.setApplicationName("ClusterGenie")
    app.setOrganizationName("ClusterGenie")
    app.setStyle("Fusion")
    app.setWindowIcon(QIcon(APP_ICON))
    app.setDesktopFileName("clustergenie")  # Wayland/X11 match the window to the .desktop entry
    # The window's close starts an async shutdown; the loop ends when it is done.
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        application = Application(options)
        loop.run_until_complete(application.run())
    return 0
