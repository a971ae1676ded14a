"""Overview sparklines and the Faults menu over the fake client."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.types import FaultKind
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionViewModel
from clustergenie_gui.viewmodels.faults_viewmodel import FaultsViewModel
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.viewmodels.telemetry_viewmodel import TelemetryViewModel
from clustergenie_gui.widgets.faults_menu import FaultsMenu
from clustergenie_gui.widgets.overview_panel import OverviewPanel
from clustergenie_gui.widgets.role_gate import RoleGate
from clustergenie_gui.widgets.sparklines_widget import ClusterSparklines
from tests.gui.conftest import OFFSCREEN_WARNING
from tests.gui.fakes import FakeTelemetryClient, make_cluster, make_droplet, make_sample

T = 1_767_268_800.0


@pytest.fixture
def client(qloop: object) -> FakeTelemetryClient:
    """The fake client with telemetry and scaling."""
    return FakeTelemetryClient()


@OFFSCREEN_WARNING
def test_sparklines_follow_clusters_and_their_samples(
    qtbot: QtBot, client: FakeTelemetryClient
) -> None:
    vm = TelemetryViewModel(client)
    grid = ClusterSparklines(vm)
    qtbot.addWidget(grid)
    grid.show()  # a hidden grid keeps its samples for later and draws nothing
    vm._on_connection_changed("connected", "")
    with qtbot.waitSignal(vm.clusters_changed):
        vm.set_clusters([make_cluster(2, "worker"), make_cluster(1, "web")])
    assert vm.clusters == [(1, "web"), (2, "worker")]
    assert [card.name_label.text() for card in grid.cards.values()] == ["web", "worker"]
    qtbot.waitUntil(lambda: client.stream_starts["metrics"] == 1)
    assert client.called("watch_metrics") == [(0, vm.BACKFILL_SECONDS)]  # every cluster
    with qtbot.waitSignal(vm.samples_added, check_params_cb=lambda cid: cid == 1):
        vm.add_samples(
            [
                make_sample(T + i, 1, cpu_percent=10.0 * i, requests_per_second=100 + i)
                for i in range(4)
            ]
        )
    grid.redraw()
    card = grid.cards[1]
    assert np.array_equal(card.cpu_line.ys, [0, 10, 20, 30])
    assert card.rps_label.text() == "103 req/s"
    assert grid.cards[2].cpu_line.xs.size == 0
    vm.set_clusters([make_cluster(1, "web")])
    assert list(vm.buffers) == [1]
    assert list(grid.cards) == [1]


def test_samples_before_the_inventory_are_kept_and_deleted_clusters_ignored(
    client: FakeTelemetryClient,
) -> None:
    vm = TelemetryViewModel(client)
    vm.add_samples([make_sample(T, 7)])  # the stream's backfill came before the inventory
    vm.set_clusters([make_cluster(7, "late")])
    assert len(vm.buffers[7]) == 1
    vm.set_clusters([])
    vm.add_samples([make_sample(T + 10, 7)])  # a tick sent just before the cluster was deleted
    assert 7 not in vm.buffers


@OFFSCREEN_WARNING
def test_overview_shows_every_clusters_sparklines_from_one_stream(
    qtbot: QtBot, client: FakeTelemetryClient
) -> None:
    connection = ConnectionViewModel(client)
    provisioning = ProvisioningViewModel(client)
    telemetry = TelemetryViewModel(client)
    connection.connection_changed.connect(telemetry._on_connection_changed)  # as app.py wires
    provisioning.inventory_changed.connect(
        lambda: telemetry.set_clusters(provisioning.clusters.items())
    )
    overview = OverviewPanel(
        connection,
        provisioning,
        JobsViewModel(client),
        telemetry,
    )
    qtbot.addWidget(overview)
    overview.show()
    with qtbot.waitSignal(
        connection.connection_changed, check_params_cb=lambda state, _m: state == "connected"
    ):
        connection.connect_to("127.0.0.1:5000")
    for cluster_id, name in ((1, "web"), (2, "worker"), (3, "db")):
        provisioning.apply(make_cluster(cluster_id, name))
    sparklines = overview.sparklines
    assert sparklines is not None
    assert [card.name_label.text() for card in sparklines.cards.values()] == ["db", "web", "worker"]
    # One update of the one stream carries every cluster's aggregate.
    with qtbot.waitSignal(telemetry.samples_added, check_params_cb=lambda cid: cid == 3):
        client.metrics.put_nowait([make_sample(T, c, cpu_percent=10.0 * c) for c in (1, 2, 3)])
    sparklines.redraw()
    assert [sparklines.cards[c].cpu_label.text() for c in (1, 2, 3)] == [
        "CPU 10 %",
        "CPU 20 %",
        "CPU 30 %",
    ]
    assert client.stream_starts["metrics"] == 1
    assert client.called("watch_metrics") == [(0, telemetry.BACKFILL_SECONDS)]  # every cluster


def test_faults_inject_list_and_clear(qtbot: QtBot, client: FakeTelemetryClient) -> None:
    vm = FaultsViewModel(client)
    with qtbot.waitSignal(vm.faults_changed, check_params_cb=lambda f: len(f) == 1):
        vm.inject("traffic_spike", 1, 0, 4.0, 600.0)
    assert client.called("inject_fault") == [(FaultKind.TRAFFIC_SPIKE, 1, 0, 4.0, 600.0)]
    with qtbot.waitSignal(vm.faults_changed, check_params_cb=lambda f: f == []):
        vm.clear(vm.faults[0].id)
    client.errors["inject_fault"] = ClientError("INVALID_ARGUMENT", "traffic spike: cluster only")
    with qtbot.waitSignal(vm.error, check_params_cb=bool):
        vm.inject("traffic_spike", 1, 5, 0.0, 0.0)


@OFFSCREEN_WARNING
def test_fault_dialog_injects_on_the_selected_cluster(
    qtbot: QtBot, client: FakeTelemetryClient
) -> None:
    clusters, droplets = ClusterListModel(), DropletTableModel()
    clusters.upsert(make_cluster(1, "web"))
    clusters.upsert(make_cluster(2, "worker"))
    droplets.upsert(make_droplet(7, cluster_id=2))
    vm = FaultsViewModel(client)
    menu = FaultsMenu(vm, clusters, droplets, lambda: 2, RoleGate())
    qtbot.addWidget(menu)
    dialog = menu.open_inject()
    assert dialog.cluster_combo.currentText() == "worker"
    assert dialog.droplet_combo.count() == 2  # whole cluster, web-7
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("cpu_hog"))
    dialog.droplet_combo.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.finished):
        dialog.inject_button.click()
    assert client.called("inject_fault") == [(FaultKind.CPU_HOG, 2, 7, 0.0, 600.0)]
    listing = menu.open_list()
    qtbot.waitUntil(lambda: listing.list.count() == 1 and listing.clear_button.isEnabled())
    listing.list.setCurrentRow(0)
    with qtbot.waitSignal(vm.faults_changed, check_params_cb=lambda f: f == []):
        listing.clear_button.click()
    assert listing.list.item(0).text() == "No scheduled or active faults."
