"""End-to-end flows: the whole app against a real server child process, clicked like a user."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, AppOptions, main
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.models.job_table_model import JobTableModel
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.widgets.components.confirm import action_button
from tests.gui.conftest import OFFSCREEN_WARNING, RunCoroutine, ServerProcess

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]

FAST = ("--time-scale", "20", "--failure-rate", "0")


def column(model: QAbstractItemModel, col: int) -> list[str]:
    """Display texts of one column of a (proxy) model."""
    return [model.index(row, col).data() for row in range(model.rowCount())]


def fill_and_create(qtbot: QtBot, app: Application, name: str, count: int) -> None:
    """Type into the create-cluster form and click Create."""
    form = app.provision_panel.form
    app.window.show_panel("Provision")
    form.name_edit.clear()
    qtbot.keyClicks(form.name_edit, name)
    form.count_spin.lineEdit().selectAll()
    qtbot.keyClicks(form.count_spin.lineEdit(), str(count))
    assert form.count_spin.value() == count
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)


def test_create_cluster_until_droplets_are_active(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    fill_and_create(qtbot, app, "web", 3)
    proxy = app.provision_panel.proxy
    qtbot.waitUntil(
        lambda: column(proxy, DropletTableModel.STATUS) == ["active"] * 3, timeout=30_000
    )
    assert column(proxy, DropletTableModel.NAME) == ["web-1", "web-2", "web-3"]
    assert all(ip != "—" for ip in column(proxy, DropletTableModel.IP))
    app.window.show_panel("Jobs")
    jobs = app.jobs.jobs
    qtbot.waitUntil(lambda: column(jobs, JobTableModel.STATE) == ["succeeded"] * 3, timeout=30_000)
    assert set(column(jobs, JobTableModel.KIND)) == {"provision droplet"}
    assert app.provision_panel.form.error_label.isHidden()


def test_bad_input_shows_the_server_message_by_the_form(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    error = app.provision_panel.form.error_for("name")  # under the field it is about
    fill_and_create(qtbot, app, "", 1)
    qtbot.waitUntil(lambda: error.isVisibleTo(app.window) and "name" in error.text())
    assert "empty" in error.text()
    fill_and_create(qtbot, app, "db", 1)
    qtbot.waitUntil(lambda: app.provisioning.clusters.rowCount() == 1)
    # The list can show the new cluster before the reply arrives; like a user, wait until the
    # button reads "Create cluster" again (clicks while it says "Creating…" do nothing).
    qtbot.waitUntil(lambda: app.provision_panel.form.create_button.isEnabled())
    assert error.isHidden()
    fill_and_create(qtbot, app, "db", 1)
    qtbot.waitUntil(lambda: error.isVisibleTo(app.window))
    assert "db" in error.text()
    assert "exists" in error.text()


def test_cancel_a_running_job(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory("--time-scale", "0.5", "--failure-rate", "0").address)
    fill_and_create(qtbot, app, "slow", 1)
    jobs = app.jobs.jobs
    qtbot.waitUntil(lambda: column(jobs, JobTableModel.STATE) == ["running"], timeout=15_000)
    app.window.show_panel("Jobs")
    panel = app.jobs_panel
    panel.table.selectRow(0)
    assert panel.cancel_button.isEnabled()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.confirm_box is not None  # cancelling asks first
    action_button(panel.confirm_box).click()
    qtbot.waitUntil(lambda: column(jobs, JobTableModel.STATE) == ["cancelled"], timeout=30_000)
    assert not panel.cancel_button.isEnabled()
    # A cancelled provision released its droplet: the server calls it not retryable.
    assert not panel.retry_button.isEnabled()
    assert panel.action_error.isHidden()


def test_disconnects_and_reconnects_on_the_same_port(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    server = server_factory(*FAST)
    app = make_app(server.address)
    fill_and_create(qtbot, app, "keep", 2)
    qtbot.waitUntil(lambda: app.jobs.jobs.rowCount() == 2, timeout=15_000)
    server.kill()
    qtbot.waitUntil(lambda: app.connection.state == ConnectionState.DISCONNECTED, timeout=15_000)
    assert app.window.connection_label.text().startswith("Lost the connection")
    server_factory(*FAST, listen=server.address)
    qtbot.waitUntil(lambda: app.connection.state == ConnectionState.CONNECTED, timeout=30_000)
    qtbot.waitUntil(lambda: app.provisioning.droplets.rowCount() == 2, timeout=15_000)
    # The streams resubscribed: the snapshot replaced rows instead of adding to them.
    assert app.jobs.jobs.rowCount() == 2
    assert app.provisioning.clusters.rowCount() == 1
    assert app.window.connection_label.text() == f"Connected to {server.address}"


def test_bundled_server_is_started_and_stopped_with_the_app(
    qtbot: QtBot,
    run: RunCoroutine,
    tmp_path: Path,
) -> None:
    options = AppOptions(
        time_scale=20, failure_rate=0, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}"
    )
    app = Application(options)
    app.start()
    qtbot.waitUntil(lambda: app.connection.state == ConnectionState.CONNECTED, timeout=30_000)
    assert app.window.address_label.text() == f"bundled server {app.bundled.address}"
    run(app.shutdown(), timeout_ms=15_000)
    assert not app.bundled.running
    app.window.deleteLater()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is Linux-only")
def test_without_a_display_main_names_the_headless_command(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    assert "clustergenie-server" in capsys.readouterr().err
