"""View-models over the fake client, on a qasync loop driven by qtbot."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.types import ClusterStatus, DropletStatus, JobState, SnapshotComplete
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState, ConnectionViewModel
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from tests.gui.fakes import T0, FakeClient, make_cluster, make_droplet, make_job


def connected_vms(
    qtbot: QtBot, client: FakeClient
) -> tuple[ConnectionViewModel, ProvisioningViewModel, JobsViewModel]:
    connection = ConnectionViewModel(client, initial_backoff=0.01)
    provisioning = ProvisioningViewModel(client)
    jobs = JobsViewModel(client)
    connection.connection_changed.connect(provisioning._on_connection_changed)
    connection.connection_changed.connect(jobs._on_connection_changed)
    with qtbot.waitSignal(provisioning.catalog_changed):
        connection.connect_to("fake:1")
    assert connection.state == ConnectionState.CONNECTED
    return connection, provisioning, jobs


def test_connection_goes_disconnected_and_reconnects(qtbot: QtBot, fake_client: FakeClient) -> None:
    connection, _, _ = connected_vms(qtbot, fake_client)
    fake_client.ready = False
    with qtbot.waitSignal(
        connection.connection_changed, check_params_cb=lambda state, _m: state == "disconnected"
    ):
        fake_client.lost.set()
    assert "fake:1" in connection.message
    with qtbot.waitSignal(
        connection.connection_changed, check_params_cb=lambda state, _m: state == "connected"
    ):
        fake_client.ready = True


def test_inventory_snapshot_fills_and_prunes(qtbot: QtBot, fake_client: FakeClient) -> None:
    _, provisioning, _ = connected_vms(qtbot, fake_client)
    for event in (make_cluster(1), make_droplet(1), make_droplet(2), SnapshotComplete()):
        fake_client.inventory.put_nowait(event)
    qtbot.waitUntil(lambda: provisioning.droplets.rowCount() == 2)
    # After a reconnect the snapshot no longer lists droplet 2: it went away meanwhile.
    fake_client.inventory.put_nowait(ClientError("UNAVAILABLE", "gone"))
    for event in (make_cluster(1), make_droplet(1), SnapshotComplete()):
        fake_client.inventory.put_nowait(event)
    qtbot.waitUntil(lambda: provisioning.droplets.rowCount() == 1)
    assert fake_client.stream_starts["inventory"] == 2
    assert provisioning.clusters.rowCount() == 1


def test_destroyed_droplets_and_deleted_clusters_leave(
    qtbot: QtBot, fake_client: FakeClient
) -> None:
    _, provisioning, _ = connected_vms(qtbot, fake_client)
    provisioning.apply(make_cluster(1))
    provisioning.apply(make_droplet(1))
    provisioning.apply(
        make_droplet(1, status=DropletStatus.ARCHIVE, updated_at=T0 + timedelta(seconds=1))
    )
    provisioning.apply(make_cluster(1, status=ClusterStatus.DELETED))
    assert provisioning.droplets.rowCount() == 0
    assert provisioning.clusters.rowCount() == 0


def test_create_cluster_error_goes_to_the_form(qtbot: QtBot, fake_client: FakeClient) -> None:
    _, provisioning, _ = connected_vms(qtbot, fake_client)
    fake_client.errors["create_cluster"] = ClientError("ALREADY_EXISTS", "name taken")
    with qtbot.waitSignal(provisioning.form_error, check_params_cb=lambda m: m == "name taken"):
        provisioning.create_cluster(" web ", "nyc1", "s-1vcpu-1gb", "img", 3, ["a", ""])
    assert fake_client.called("create_cluster") == [
        ("web", "nyc1", "s-1vcpu-1gb", "img", 3, ("a",))
    ]
    assert not provisioning.form_busy


def test_create_cluster_success_adds_it(qtbot: QtBot, fake_client: FakeClient) -> None:
    _, provisioning, _ = connected_vms(qtbot, fake_client)
    with qtbot.waitSignal(provisioning.cluster_created):
        provisioning.create_cluster("db", "nyc1", "s-1vcpu-1gb", "img", 1, [])
    assert [c.name for c in provisioning.clusters.items()] == ["db"]


def test_jobs_resubscribe_without_duplicates(qtbot: QtBot, fake_client: FakeClient) -> None:
    connection, _, jobs = connected_vms(qtbot, fake_client)
    for event in (make_job(1), make_job(2), SnapshotComplete()):
        fake_client.job_events.put_nowait(event)
    qtbot.waitUntil(lambda: jobs.jobs.rowCount() == 2)
    fake_client.ready = False
    with qtbot.waitSignal(
        connection.connection_changed, check_params_cb=lambda state, _m: state == "disconnected"
    ):
        fake_client.lost.set()
    with qtbot.waitSignal(
        connection.connection_changed, check_params_cb=lambda state, _m: state == "connected"
    ):
        fake_client.ready = True
    done = make_job(2, JobState.SUCCEEDED, updated_at=T0 + timedelta(hours=1))
    for event in (make_job(1), done, make_job(3), SnapshotComplete()):
        fake_client.job_events.put_nowait(event)
    qtbot.waitUntil(lambda: jobs.jobs.rowCount() == 3)
    assert [job.id for job in jobs.jobs.items()] == [3, 2, 1]
    finished = jobs.jobs.get(2)
    assert finished is not None
    assert finished.state == JobState.SUCCEEDED
    assert fake_client.stream_starts["jobs"] == 2
    assert jobs.running_count == 2


def test_cancel_error_is_reported(qtbot: QtBot, fake_client: FakeClient) -> None:
    _, _, jobs = connected_vms(qtbot, fake_client)
    fake_client.errors["cancel_job"] = ClientError("FAILED_PRECONDITION", "job 1 is finished")
    with qtbot.waitSignal(jobs.action_error, check_params_cb=lambda m: m == "job 1 is finished"):
        jobs.cancel(1)
