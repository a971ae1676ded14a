"""Each panel's main task with the keyboard only (fake client): keys go where the focus is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.client.types import DropletStatus, JobState, ScalingMetric, ScalingPolicy
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionViewModel
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.components.confirm import action_button
from clustergenie_gui.widgets.jobs_panel import JobsPanel
from clustergenie_gui.widgets.overview_panel import OverviewPanel
from clustergenie_gui.widgets.provision_panel import ProvisionPanel
from clustergenie_gui.widgets.scaling_panel import ScalingPanel
from tests.gui.fakes import (
    CATALOG,
    FakeClient,
    FakeTelemetryClient,
    make_cluster,
    make_droplet,
    make_job,
)

# The offscreen platform cannot grab the keyboard for a popup menu: harmless, not ours.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support (propagateSizeHints|raise|grabbing)"
)
SHIFT = Qt.KeyboardModifier.ShiftModifier


def key(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press key where the focus is."""
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def shown(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def answer(qtbot: QtBot, box: QMessageBox | None, yes: bool) -> None:
    """Answer a confirmation by keyboard: Enter takes the default (Cancel); Shift+Tab reaches
    the action, Space presses it."""
    assert box is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    if yes:
        key(qtbot, Qt.Key.Key_Tab, SHIFT)
        assert QApplication.focusWidget() is action_button(box)
        key(qtbot, Qt.Key.Key_Space)
    else:
        key(qtbot, Qt.Key.Key_Return)  # the default button is Cancel
    qtbot.waitUntil(lambda: not box.isVisible())
    reactivate(qtbot, box)


def reactivate(qtbot: QtBot, dialog: QWidget) -> None:
    """What a window manager does when a dialog closes (offscreen has none)."""
    window = dialog.parentWidget().window()  # type: ignore[union-attr]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


@pytest.fixture
def provision(
    qtbot: QtBot, fake_client: FakeClient
) -> tuple[ProvisionPanel, ProvisioningViewModel]:
    """A shown Provision panel with one cluster of six droplets."""
    vm = ProvisioningViewModel(fake_client)
    vm._catalog = CATALOG
    panel = ProvisionPanel(vm)
    vm.catalog_changed.emit(CATALOG)
    vm.apply(make_cluster(1, "web", droplet_count=6))
    for droplet_id in range(1, 7):
        vm.apply(make_droplet(droplet_id, name=f"web-{droplet_id}"))
    shown(qtbot, panel)
    return panel, vm


def test_provision_bulk_reboot_by_keyboard(
    qtbot: QtBot, fake_client: FakeClient, provision: tuple[ProvisionPanel, ProvisioningViewModel]
) -> None:
    panel, vm = provision
    panel.cluster_view.setFocus()  # coming in selects the first row: the (only) cluster
    assert panel.selected_cluster() is not None
    key(qtbot, Qt.Key.Key_Return)  # Enter opens its droplets, the first selected
    assert QApplication.focusWidget() is panel.droplet_view
    for _ in range(4):
        key(qtbot, Qt.Key.Key_Down, SHIFT)  # five droplets
    assert [d.name for d in panel.selected_droplets()] == [f"web-{i}" for i in range(1, 6)]
    assert not panel.action_buttons["resize"].isEnabled()  # type: ignore[index]  # one at a time
    key(qtbot, Qt.Key.Key_Menu)  # the context menu holds the same actions as the buttons
    menu = panel.droplet_table.menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    labels = {a.text(): a.isEnabled() for a in menu.actions()}
    assert labels == {
        "Resize…": False,
        "Reboot…": True,
        "Power off…": True,
        "Power on": False,
        "Destroy…": True,
        "Show logs": True,  # of their cluster (several droplets)
    }
    menu.close()
    panel.droplet_view.setFocus()
    # Reboot through its button: Tab leaves the table for the first enabled action.
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.action_buttons["reboot"]  # type: ignore[index]
    key(qtbot, Qt.Key.Key_Space)
    assert "5 droplets" in panel.confirm_box.text()  # type: ignore[union-attr]
    answer(qtbot, panel.confirm_box, yes=True)
    qtbot.waitUntil(lambda: len(fake_client.called("reboot_droplet")) == 5)
    assert sorted(fake_client.called("reboot_droplet")) == [(i,) for i in range(1, 6)]
    # While the reboots run, the rows say so.
    qtbot.waitUntil(
        lambda: [panel.proxy.index(r, 1).data() for r in range(5)] == ["rebooting…"] * 5
    )
    # Each action links to its job: the link opens Jobs on it.
    assert "job #905" in panel.job_link.text()
    opened: list[Navigation] = []
    panel.navigate_requested.connect(opened.append)
    panel.job_link.linkActivated.emit("job:905")
    assert opened == [Navigation("Jobs", "target:web-5", "job", 905)]


def test_delete_asks_and_the_selection_never_jumps(
    qtbot: QtBot, fake_client: FakeClient, provision: tuple[ProvisionPanel, ProvisioningViewModel]
) -> None:
    panel, vm = provision
    panel.select_droplet(3)
    assert QApplication.focusWidget() is panel.droplet_view
    key(qtbot, Qt.Key.Key_Delete)
    answer(qtbot, panel.confirm_box, yes=False)  # Enter = Cancel: nothing destroyed
    assert not fake_client.called("destroy_droplet")
    panel.droplet_view.setFocus()
    key(qtbot, Qt.Key.Key_Delete)
    answer(qtbot, panel.confirm_box, yes=True)
    qtbot.waitUntil(lambda: fake_client.called("destroy_droplet") == [(3,)])
    vm.apply(make_droplet(3, name="web-3", status=DropletStatus.ARCHIVE))  # gone
    assert panel.selected_droplets() == []  # nothing else was selected in its place
    assert not any(b.isEnabled() for b in panel.action_buttons.values())


def test_deleting_a_cluster_needs_its_name(
    qtbot: QtBot, fake_client: FakeClient, provision: tuple[ProvisionPanel, ProvisioningViewModel]
) -> None:
    panel, _vm = provision
    panel.select_cluster(1)
    panel.cluster_view.setFocus()
    key(qtbot, Qt.Key.Key_Delete)
    dialog = panel.delete_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name_edit)
    assert not dialog.delete_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "we")
    key(qtbot, Qt.Key.Key_Return)  # not the name yet: nothing happens
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.name_edit, "b")
    assert dialog.delete_button.isEnabled()
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: fake_client.called("delete_cluster") == [(1,)])


def test_jobs_filter_and_cancel_by_keyboard(qtbot: QtBot, fake_client: FakeClient) -> None:
    vm = JobsViewModel(fake_client)
    panel = JobsPanel(vm)
    vm.apply(make_job(1, JobState.FAILED, error="no capacity"))
    vm.apply(make_job(2, JobState.RUNNING, error="attempt 1 timed out"))
    vm.apply(make_job(3, JobState.SUCCEEDED, step="Attaching volume"))
    shown(qtbot, panel)
    assert panel.table.model().index(1, 8).data() == ""  # running: no error shown yet
    assert panel.table.model().index(0, 5).data() == "Done (4 steps)"  # the outcome
    panel.table.setFocus()
    qtbot.keyClicks(panel.table, "/")  # "/" goes to the filter
    assert QApplication.focusWidget() is panel.data_table.filter_edit
    qtbot.keyClicks(panel.data_table.filter_edit, "state:running")
    key(qtbot, Qt.Key.Key_Return)  # to the rows, the first selected
    assert QApplication.focusWidget() is panel.table
    assert panel.selected_job() is not None
    assert panel.selected_job().id == 2  # type: ignore[union-attr]
    key(qtbot, Qt.Key.Key_Delete)  # Delete cancels a job, after asking
    answer(qtbot, panel.confirm_box, yes=True)
    qtbot.waitUntil(lambda: fake_client.called("cancel_job") == [(2,)])
    panel.data_table.filter_edit.setFocus()
    key(qtbot, Qt.Key.Key_Escape)  # Esc clears the filter
    assert panel.data_table.proxy.rowCount() == 3


def test_overview_cards_open_what_they_count(qtbot: QtBot, fake_client: FakeClient) -> None:
    connection = ConnectionViewModel(fake_client)
    provisioning = ProvisioningViewModel(fake_client)
    jobs = JobsViewModel(fake_client)
    overview = OverviewPanel(connection, provisioning, jobs)
    jobs.apply(make_job(1, JobState.FAILED))
    shown(qtbot, overview)
    opened: list[Navigation] = []
    overview.navigate_requested.connect(opened.append)
    overview.clusters_tile.setFocus()
    for _ in range(3):
        key(qtbot, Qt.Key.Key_Tab)  # clusters → droplets → running jobs → failed jobs
    assert QApplication.focusWidget() is overview.failed_tile
    key(qtbot, Qt.Key.Key_Return)
    assert opened == [Navigation("Jobs", "state:failed")]
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Space)
    assert opened[-1] == Navigation("Provision", "status:errored")


def test_a_manual_scale_against_a_policy_says_it_will_be_overridden(
    qtbot: QtBot, qloop: object
) -> None:
    client = FakeTelemetryClient()
    client.policies[1] = ScalingPolicy(1, ScalingMetric.CPU, 60.0, 2, 8)
    clusters = ClusterListModel()
    clusters.upsert(make_cluster(1, "web", droplet_count=4))
    vm = ScalingViewModel(client)
    vm._on_connection_changed("connected", "")
    panel = ScalingPanel(vm, clusters)
    shown(qtbot, panel)
    qtbot.waitUntil(lambda: vm.policy is not None)
    spin = panel.scale_control.count_spin
    assert spin.value() == 4  # starts at the current count
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "3")
    key(qtbot, Qt.Key.Key_Return)
    box = panel.scale_control.confirm_box
    assert box is not None
    assert "4 to 3" in box.text()
    assert "Auto-scaling is on" in box.informativeText()
    assert "destroys 1 droplet" in box.informativeText()
    answer(qtbot, box, yes=True)
    qtbot.waitUntil(lambda: client.called("scale_cluster") == [(1, 3)])
