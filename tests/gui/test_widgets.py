"""Widgets bound to view-models over the fake client: change the view-model, assert the widget."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.types import DropletStatus, JobState
from clustergenie_gui.models.droplet_table_model import DropletAction
from clustergenie_gui.models.job_table_model import JobTableModel
from clustergenie_gui.server_choice import ServerChoice
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionViewModel
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.widgets.coming_soon_panel import ComingSoonPanel
from clustergenie_gui.widgets.components.confirm import action_button
from clustergenie_gui.widgets.jobs_panel import JobsPanel
from clustergenie_gui.widgets.main_window import MainWindow
from clustergenie_gui.widgets.overview_panel import OverviewPanel
from clustergenie_gui.widgets.provision_panel import ProvisionPanel
from clustergenie_gui.widgets.settings_dialog import SettingsDialog
from tests.gui.conftest import OFFSCREEN_WARNING
from tests.gui.fakes import CATALOG, T0, FakeClient, make_cluster, make_droplet, make_job


def provision_panel(
    qtbot: QtBot, client: FakeClient
) -> tuple[ProvisionPanel, ProvisioningViewModel]:
    vm = ProvisioningViewModel(client)
    panel = ProvisionPanel(vm)
    qtbot.addWidget(panel)
    vm._catalog = CATALOG
    vm.catalog_changed.emit(CATALOG)
    return panel, vm


def test_form_offers_the_catalog_and_sends_what_was_typed(
    qtbot: QtBot, fake_client: FakeClient
) -> None:
    panel, vm = provision_panel(qtbot, fake_client)
    form = panel.form
    assert form.size_combo.count() == 2
    assert "2 vCPU · 4 GB · 80 GB disk · $24.00/mo" in form.size_combo.itemText(1)
    qtbot.keyClicks(form.name_edit, "api")
    form.region_combo.setCurrentIndex(1)
    form.count_spin.setValue(2)
    qtbot.keyClicks(form.tags_edit, "prod, web")
    with qtbot.waitSignal(vm.cluster_created):
        qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert fake_client.called("create_cluster") == [
        ("api", "ams3", "s-1vcpu-1gb", "ubuntu-24-04-x64", 2, ("prod", "web"))
    ]
    assert form.name_edit.text() == ""
    assert panel.selected_cluster() is not None


def test_form_shows_the_server_message(qtbot: QtBot, fake_client: FakeClient) -> None:
    panel, vm = provision_panel(qtbot, fake_client)
    fake_client.errors["create_cluster"] = ClientError("INVALID_ARGUMENT", "name is empty")
    with qtbot.waitSignal(vm.form_error, check_params_cb=bool):
        qtbot.mouseClick(panel.form.create_button, Qt.MouseButton.LeftButton)
    name_error = panel.form.error_for("name")
    assert name_error.isVisibleTo(panel)  # under the Name field, not under the button
    assert name_error.text() == "name is empty"
    assert panel.form.error_label.isHidden()
    qtbot.keyClicks(panel.form.tags_edit, "web")  # another field: the name's error stays
    assert name_error.isVisibleTo(panel)
    qtbot.keyClicks(panel.form.name_edit, "a")  # the field it is about changed: cleared
    assert not name_error.isVisibleTo(panel)


@OFFSCREEN_WARNING
def test_droplet_buttons_follow_the_selected_droplet(qtbot: QtBot, fake_client: FakeClient) -> None:
    panel, vm = provision_panel(qtbot, fake_client)
    vm.apply(make_cluster(1, droplet_count=2))
    vm.apply(make_cluster(2, "other"))
    vm.apply(make_droplet(1, status=DropletStatus.ACTIVE))
    vm.apply(make_droplet(2, status=DropletStatus.OFF))
    vm.apply(make_droplet(3, cluster_id=2))
    buttons = panel.action_buttons
    assert not any(b.isEnabled() for b in buttons.values())
    panel.select_cluster(1)
    assert panel.proxy.rowCount() == 2
    assert panel.add_button.isEnabled()
    assert panel.delete_button.isEnabled()
    panel.droplet_view.selectRow(0)  # web-1, active
    assert {a.value for a, b in buttons.items() if b.isEnabled()} == {
        "resize",
        "reboot",
        "power_off",
        "destroy",
    }
    qtbot.mouseClick(buttons["reboot"], Qt.MouseButton.LeftButton)  # type: ignore[index]
    assert panel.confirm_box is not None  # a reboot asks first
    assert "web-1" in panel.confirm_box.text()
    assert not fake_client.called("reboot_droplet")
    with qtbot.waitSignal(vm.inventory_changed):
        action_button(panel.confirm_box).click()
    assert fake_client.called("reboot_droplet") == [(1,)]
    # The reply locks the droplet: nothing is allowed until its job ends.
    assert not any(b.isEnabled() for b in buttons.values())
    vm.apply(make_droplet(1, status=DropletStatus.OFF, updated_at=T0 + timedelta(hours=1)))
    assert {a.value for a, b in buttons.items() if b.isEnabled()} == {
        "resize",
        "power_on",
        "destroy",
    }


@OFFSCREEN_WARNING
def test_destroy_asks_first_and_shows_errors_by_the_buttons(
    qtbot: QtBot, fake_client: FakeClient
) -> None:
    panel, vm = provision_panel(qtbot, fake_client)
    vm.apply(make_cluster(1))
    vm.apply(make_droplet(1))
    panel.select_cluster(1)
    panel.droplet_view.selectRow(0)
    fake_client.errors["destroy_droplet"] = ClientError("FAILED_PRECONDITION", "droplet busy")
    qtbot.mouseClick(panel.action_buttons[DropletAction.DESTROY], Qt.MouseButton.LeftButton)
    assert panel.confirm_box is not None
    assert not fake_client.called("destroy_droplet")
    with qtbot.waitSignal(vm.action_error, check_params_cb=bool):
        action_button(panel.confirm_box).click()
    assert fake_client.called("destroy_droplet") == [(1,)]
    assert panel.action_error.text() == "droplet busy"


@OFFSCREEN_WARNING
def test_jobs_panel_cancel_and_retry(qtbot: QtBot, fake_client: FakeClient) -> None:
    vm = JobsViewModel(fake_client)
    panel = JobsPanel(vm)
    qtbot.addWidget(panel)
    vm.apply(make_job(1, JobState.FAILED, error="no capacity in nyc1"))
    vm.apply(make_job(2, JobState.RUNNING))
    assert panel.table.model().index(0, 0).data() == "2"  # newest first
    assert not panel.cancel_button.isEnabled()
    assert not panel.retry_button.isEnabled()
    panel.select_job(2)
    assert panel.cancel_button.isEnabled()
    assert not panel.retry_button.isEnabled()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.confirm_box is not None  # cancelling asks first
    assert not fake_client.called("cancel_job")
    with qtbot.waitSignal(vm.jobs_changed):
        action_button(panel.confirm_box).click()
    assert fake_client.called("cancel_job") == [(2,)]
    assert not panel.cancel_button.isEnabled()  # cancel requested
    panel.select_job(1)
    assert panel.retry_button.isEnabled()
    assert "no capacity in nyc1" in panel.detail_label.text()
    with qtbot.waitSignal(vm.jobs_changed):
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert vm.jobs.get(1001) is not None
    qtbot.waitUntil(lambda: not panel.retry_button.isEnabled())  # a job is retried once
    original = panel.table.model().index(vm.jobs.row_of(1) or 0, JobTableModel.STATE)
    assert original.data() == "failed, retried as #1001"
    assert "retried as job 1001" in panel.detail_label.text().lower()
    panel.table.grab()  # paints the progress delegate


def test_jobs_panel_retry_follows_the_server(qtbot: QtBot, fake_client: FakeClient) -> None:
    """Retry is on only for a job the server calls retryable and nobody retried yet."""
    vm = JobsViewModel(fake_client)
    panel = JobsPanel(vm)
    qtbot.addWidget(panel)
    vm.apply(make_job(1, JobState.CANCELLED, retryable=False, error="cancelled"))
    vm.apply(make_job(2, JobState.FAILED, retried_as_job_id=3, error="boom"))
    vm.apply(make_job(3, JobState.FAILED, retry_of=2, error="boom again"))
    panel.select_job(1)
    assert not panel.retry_button.isEnabled()
    assert "cannot be retried" in panel.detail_label.text().lower()
    panel.select_job(2)
    assert not panel.retry_button.isEnabled()
    row = panel.table.model().index(vm.jobs.row_of(2) or 0, JobTableModel.STATE)
    assert row.data() == "failed, retried as #3"
    panel.select_job(3)  # the retry failed too: it may be retried in turn
    assert panel.retry_button.isEnabled()
    with qtbot.waitSignal(vm.jobs_changed):
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert fake_client.called("retry_job") == [(3,)]


def test_main_window_status_bar_and_overview(qtbot: QtBot, fake_client: FakeClient) -> None:
    connection = ConnectionViewModel(fake_client)
    provisioning = ProvisioningViewModel(fake_client)
    jobs = JobsViewModel(fake_client)
    window = MainWindow(connection, ServerChoice())
    qtbot.addWidget(window)
    overview = OverviewPanel(connection, provisioning, jobs)
    window.add_panel("Overview", overview)
    window.add_panel("Logs", ComingSoonPanel("Logs", "Search logs."))
    with qtbot.waitSignal(
        connection.connection_changed, check_params_cb=lambda state, _m: state == "connected"
    ):
        connection.connect_to("127.0.0.1:5000")
    assert window.connection_label.text() == "Connected to 127.0.0.1:5000"
    assert window.address_label.text() == "bundled server 127.0.0.1:5000"
    provisioning.apply(make_cluster(1))
    provisioning.apply(make_droplet(1))
    provisioning.apply(make_droplet(2, status=DropletStatus.ERRORED))
    jobs.apply(make_job(1))
    assert overview.clusters_tile.value.text() == "1"
    assert overview.droplet_tiles[DropletStatus.ERRORED].value.text() == "1"
    assert overview.jobs_tile.value.text() == "1"
    window.show_panel("Logs")
    panel = window.stack.currentWidget()
    assert panel is not None
    note = panel.findChild(QLabel, "coming_soon_note")
    assert note is not None
    assert "coming in a later version" in note.text()


class _PaintCounter(QObject):
    """Counts the Paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Count, never filter."""
        self.paints += event.type() == QEvent.Type.Paint
        return False


@OFFSCREEN_WARNING
def test_main_window_runs_deferred_work_once_it_has_painted(
    qtbot: QtBot, fake_client: FakeClient
) -> None:
    window = MainWindow(ConnectionViewModel(fake_client), ServerChoice())
    qtbot.addWidget(window)
    counter = _PaintCounter(window)
    done: list[tuple[str, int]] = []
    window.after_first_paint(lambda: done.append(("graph", counter.paints)))
    window.after_first_paint(lambda: done.append(("more", counter.paints)))
    window.show()
    qtbot.waitUntil(lambda: len(done) == 2)
    assert [name for name, _ in done] == ["graph", "more"]
    assert all(paints >= 1 for _, paints in done)  # the window had painted first
    window.after_first_paint(lambda: done.append(("late", counter.paints)))  # now: soon
    qtbot.waitUntil(lambda: len(done) == 3)


def test_settings_dialog_validates_the_address(qtbot: QtBot) -> None:
    dialog = SettingsDialog(ServerChoice())
    qtbot.addWidget(dialog)
    dialog.remote_radio.setChecked(True)
    qtbot.keyClicks(dialog.address_edit, "localhost")
    dialog.ok_button.click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "has no port" in dialog.error_label.text()
    qtbot.keyClicks(dialog.address_edit, ":50051")
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    assert dialog.choice() == ServerChoice(bundled=False, address="localhost:50051")
