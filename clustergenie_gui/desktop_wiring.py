"""Wiring of the desktop components (theme, commands, navigation, notifications, settings that
persist) into an Application: called once from Application.__init__, kept here so app.py only
gains one call.

Other panels add their own commands with app.commands.add(...) / add_source(...), and honour
Navigation by defining apply_navigation(nav).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

from clustergenie_gui.client.auth_types import Credentials
from clustergenie_gui.client.types import Cluster, Droplet, Job
from clustergenie_gui.models.components.command_registry import Command, CommandRegistry
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.droplet_table_model import DropletAction
from clustergenie_gui.server_choice import CredentialsError, ServerChoice, load_credentials
from clustergenie_gui.settings_store import Preferences
from clustergenie_gui.widgets.components.data_table import DataTable
from clustergenie_gui.widgets.components.notifier import TrayNotifier
from clustergenie_gui.widgets.components.theme import ThemeManager
from clustergenie_gui.widgets.graph_tools import TimeRangePicker

if TYPE_CHECKING:
    from clustergenie_gui.app import Application


def install_desktop(app: Application) -> None:
    """Theme, command palette, navigation, notifications, persistence and connection gating."""
    preferences = app.store.preferences()
    qt_app = QApplication.instance()
    app.theme = (
        ThemeManager(qt_app, preferences.theme, parent=app)
        if isinstance(qt_app, QApplication)
        else None
    )
    app.notifier = TrayNotifier(app.window.windowIcon(), app)
    app.notifier.set_enabled(preferences.notify_failed_jobs)
    app.window.preferences = preferences
    app.window.preferences_changed.connect(lambda p: _on_preferences_changed(app, p))
    app.jobs.job_failed.connect(app.notifier.job_failed)
    app.connection.connection_changed.connect(app.role_gate.set_connection)
    app.role_gate.set_connection(app.connection.state.value, app.connection.message)
    for panel in (
        app.overview_panel, app.provision_panel, app.jobs_panel, app.scaling_panel,
        app.health_panel, app.diagnose_panel,
    ):  # fmt: skip
        panel.navigate_requested.connect(app.window.navigate)
    app.commands = build_commands(app)
    app.window.set_command_registry(app.commands)
    _restore_state(app)
    if app.overview_panel.sparklines is not None:
        remember_range(app, "overview", app.overview_panel.sparklines.range_picker)
    remember_range(app, "logs", app.logs_panel.range_box)
    app.window.closed.connect(lambda: save_state(app))
    app.window.after_first_paint(lambda: _wire_scaling_graph(app))


def _wire_scaling_graph(app: Application) -> None:
    """Fault spans, deploy markers and the saved time range on the Scaling graph (built after
    first paint)."""
    graph = app.scaling_panel.graph
    notes = app.graph_notes

    def feed(cluster_id: int) -> None:
        if cluster_id == app.scaling.cluster_id:
            graph.set_notes(notes.faults_of(cluster_id), notes.deployments_of(cluster_id))

    notes.notes_changed.connect(feed)
    app.scaling.cluster_changed.connect(notes.follow)
    app.scaling.cluster_changed.connect(feed)
    notes.follow(app.scaling.cluster_id)
    feed(app.scaling.cluster_id)
    app.faults.fault_injected.connect(lambda _fault: app.faults.refresh())
    app.faults.fault_injected.connect(lambda fault: notes.refresh(fault.cluster_id))

    def refresh_faults(cluster_id: int) -> None:
        if cluster_id and app.connection.state.value == "connected":
            app.faults.refresh()

    app.scaling.cluster_changed.connect(refresh_faults)
    remember_range(app, "scaling", graph.range_picker)


def remember_range(app: Application, graph: str, picker: TimeRangePicker) -> None:
    """Restore the graph's saved time range and save each new choice (QSettings)."""
    if key := app.store.graph_range(graph):
        picker.set_key(key)
    picker.range_changed.connect(lambda _seconds: app.store.save_graph_range(graph, picker.key))


def credentials_reloader(choice: ServerChoice) -> tuple[Callable[[], Credentials | None], str]:
    """How to read a remote server's token again, and how to name where it comes from."""

    def reload() -> Credentials | None:
        try:
            return load_credentials(choice)
        except CredentialsError:
            return None

    source = f"the token file {choice.token_file}" if choice.token_file else "CLUSTERGENIE_TOKEN"
    return reload, source


def _on_preferences_changed(app: Application, preferences: Preferences) -> None:
    app.store.save_preferences(preferences)
    if app.theme is not None:
        app.theme.set_choice(preferences.theme)
    app.notifier.set_enabled(preferences.notify_failed_jobs)


def _tables(app: Application) -> Iterator[DataTable]:
    for table in app.window.findChildren(DataTable):
        if table.objectName():
            yield table


def _restore_state(app: Application) -> None:
    last = app.store.last_panel()
    if last in app.window.panel_titles():
        app.window.show_panel(last)
    for table in _tables(app):
        state = app.store.table_state(table.objectName())
        if state is not None:
            table.restore_state(state)


def save_state(app: Application) -> None:
    """Remember the panel shown and every table's columns and sort."""
    app.store.save_last_panel(app.window.current_panel_title())
    for table in _tables(app):
        app.store.save_table_state(table.objectName(), table.save_state())
    app.store.sync()


# Commands ----------------------------------------------------------------------------------


def build_commands(app: Application) -> CommandRegistry:
    """Every panel, the actions of the panels and menus, and every cluster, droplet and job."""
    registry = CommandRegistry()
    window = app.window
    for position, title in enumerate(window.panel_titles()):
        registry.add(
            Command(
                f"Go to {title}",
                partial(window.show_panel_at, position),
                kind="panel",
                shortcut=f"Ctrl+{position + 1}",
            )
        )
    _add_panel_actions(app, registry)
    _add_feature_actions(app, registry)
    registry.add_source(lambda: _menu_commands(window.menuBar()))
    registry.add_source(lambda: _item_commands(app))
    return registry


def _button_command(title: str, button: QWidget, before: Callable[[], object]) -> Command:
    def run() -> None:
        before()
        button.click()  # type: ignore[attr-defined]

    return Command(
        title,
        run,
        enabled=button.isEnabled,
        why_disabled=button.toolTip() or "Select what it applies to first",
    )


def _add_panel_actions(app: Application, registry: CommandRegistry) -> None:
    provision, jobs, scaling = app.provision_panel, app.jobs_panel, app.scaling_panel
    window = app.window

    def to_provision() -> None:
        window.show_panel("Provision")

    def to_jobs() -> None:
        window.show_panel("Jobs")

    def create_cluster() -> None:
        window.show_panel("Provision")
        provision.form.name_edit.setFocus()

    def scale_by_hand() -> None:
        window.show_panel("Scaling")
        scaling.scale_control.count_spin.setFocus()
        scaling.scale_control.count_spin.selectAll()

    registry.add(Command("Create cluster…", create_cluster, detail="the New cluster form"))
    registry.add(Command("Scale cluster by hand…", scale_by_hand, detail="Scaling panel"))
    for action, title in (
        (DropletAction.REBOOT, "Reboot selected droplets…"),
        (DropletAction.POWER_OFF, "Power off selected droplets…"),
        (DropletAction.POWER_ON, "Power on selected droplets"),
        (DropletAction.RESIZE, "Resize selected droplet…"),
        (DropletAction.DESTROY, "Destroy selected droplets…"),
    ):
        registry.add(_button_command(title, provision.action_buttons[action], to_provision))
    registry.add(_button_command("Add droplets to cluster", provision.add_button, to_provision))
    registry.add(_button_command("Delete cluster…", provision.delete_button, to_provision))
    registry.add(_button_command("Cancel selected job…", jobs.cancel_button, to_jobs))
    registry.add(_button_command("Retry selected job", jobs.retry_button, to_jobs))
    registry.add(Command("Keyboard shortcuts", window.open_shortcut_sheet, shortcut="F1"))
    registry.add(
        Command(
            "Show failed jobs",
            lambda: window.navigate(Navigation("Jobs", "state:failed")),
            detail="Jobs filtered to failed",
        )
    )


def _add_feature_actions(app: Application, registry: CommandRegistry) -> None:
    """Diagnose, Health and Logs: ask, add or run a check, read the logs."""
    window = app.window
    diagnose, health, logs = app.diagnose_panel, app.health_panel, app.logs_panel

    def diagnose_cluster() -> None:
        window.show_panel("Diagnose")
        diagnose.question_edit.setFocus()
        diagnose.question_edit.selectAll()

    def add_health_check() -> None:
        window.show_panel("Health")
        health.form.start_new()
        health.form.name.setFocus()
        health.form.name.selectAll()

    def show_logs() -> None:
        window.show_panel("Logs")
        logs.query_box.setFocus()

    def to_health() -> None:
        window.show_panel("Health")

    registry.add(Command("Diagnose cluster…", diagnose_cluster, detail="ask the Diagnose panel"))
    for button in diagnose.suggestion_buttons:
        registry.add(
            _button_command(
                f"Diagnose: {button.text()}", button, partial(window.show_panel, "Diagnose")
            )
        )
    registry.add(
        Command(
            "Add health check…",
            add_health_check,
            detail="the Health panel's form",
            enabled=health.form.isEnabled,
            why_disabled="Adding a check needs the admin role",
        )
    )
    registry.add(_button_command("Run selected health check now", health.run_button, to_health))
    registry.add(Command("Show logs", show_logs, detail="Logs panel, the query box"))
    registry.add(
        Command(
            "Logs of the selection",
            window.show_selection_logs,
            detail="the selected droplet's, cluster's, check's or finding's lines",
            shortcut="Ctrl+L",
            enabled=lambda: window.selection_logs() is not None,
            why_disabled="Select a droplet, a cluster, a health check or a finding first",
        )
    )


def _menu_commands(menu_bar: QMenuBar) -> list[Command]:
    """Each menu item (Settings, Audit log, Inject fault, ...) as a command."""
    commands: list[Command] = []
    for top in menu_bar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if action.isSeparator() or not action.text():
                continue
            commands.append(_action_command(top.text().replace("&", ""), action))
    return commands


def _action_command(menu: str, action: QAction) -> Command:
    return Command(
        action.text().replace("&", ""),
        action.trigger,
        detail=f"{menu} menu",
        shortcut=action.shortcut().toString(),
        enabled=action.isEnabled,
        why_disabled=action.toolTip(),
    )


def _item_commands(app: Application) -> list[Command]:
    """Every cluster, droplet and (recent) job, each opening where it lives."""
    window = app.window
    commands: list[Command] = []
    clusters: list[Cluster] = app.provisioning.clusters.items()
    names = {cluster.id: cluster.name for cluster in clusters}
    for cluster in clusters:
        commands.append(
            Command(
                cluster.name,
                partial(window.navigate, Navigation("Provision", "", "cluster", cluster.id)),
                kind="cluster",
                detail=f"{cluster.region} · {cluster.active_droplet_count}/"
                f"{cluster.droplet_count} active · {cluster.status.value}",
            )
        )
    droplets: list[Droplet] = app.provisioning.droplets.items()
    for droplet in droplets:
        commands.append(
            Command(
                droplet.name,
                partial(window.navigate, Navigation("Provision", "", "droplet", droplet.id)),
                kind="droplet",
                detail=f"{names.get(droplet.cluster_id, '')} · {droplet.status.value} · "
                f"{droplet.ip_address or 'no IP yet'}",
            )
        )
    jobs: list[Job] = app.jobs.jobs.items()[:200]
    for job in jobs:
        commands.append(
            Command(
                f"job #{job.id} {job.kind.label} {job.target_name}",
                partial(window.navigate, Navigation("Jobs", "", "job", job.id)),
                kind="job",
                detail=job.state.value,
            )
        )
    return commands


__all__ = ["credentials_reloader", "install_desktop", "save_state"]
