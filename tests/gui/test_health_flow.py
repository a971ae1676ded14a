"""End to end against a real server: a check added through the form colours the grid."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.models.health_model import STATE_COLOURS
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess
from tests.gui.test_flows import FAST, fill_and_create

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]

GREEN, RED = STATE_COLOURS["healthy"], STATE_COLOURS["unhealthy"]


def test_a_check_from_the_form_turns_the_grid_green_then_red_on_a_crash_loop(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    fill_and_create(qtbot, app, "web", 2)
    droplets = app.provisioning.droplets
    qtbot.waitUntil(
        lambda: [d.status.value for d in droplets.items()] == ["active"] * 2,
        timeout=30_000,
    )
    cluster = app.provisioning.clusters.item(0)
    sick = droplets.item(0)
    assert cluster is not None
    assert sick is not None
    app.window.show_panel("Health")
    panel, form = app.health_panel, app.health_panel.form

    # A condition that does not parse shows its error by the field, at its column.
    form.conditions.clear()
    qtbot.keyClicks(form.conditions, "[STATUS] = 200")
    qtbot.waitUntil(lambda: "column 10" in form.condition_error.text(), timeout=10_000)
    form.conditions.clear()
    qtbot.keyClicks(form.conditions, "[STATUS] == 200 && [RESPONSE_TIME] < 300")
    qtbot.waitUntil(lambda: form.condition_error.text() == "", timeout=10_000)

    form.target_id.setValue(cluster.id)
    form.interval.setValue(1.0)
    form.timeout.setValue(0.5)
    form.failures.setValue(2)
    with qtbot.waitSignal(app.health.check_created, timeout=10_000):
        qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    assert form.error.text() == ""
    qtbot.waitUntil(lambda: panel.state_colour_of(sick.name) == GREEN, timeout=20_000)
    # Selecting the droplet shows its uptime and its latest results.
    group = panel.grid.topLevelItem(0)
    assert group is not None
    row = group.child(0)
    assert row is not None
    with qtbot.waitSignal(app.health.uptime_loaded, timeout=10_000):
        panel.grid.setCurrentItem(row)
    assert panel.details.text().startswith("Uptime 1 h: 100.00 %")
    assert "nyc1 HTTP 200 in" in panel.history.text()

    # Edit the selected check: the form shows it; a change is saved over it.
    with qtbot.waitSignal(app.health.check_loaded, timeout=10_000):
        qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert form.name.text() == "web-http"
    assert form.add.text() == "Save changes"
    form.name.clear()
    qtbot.keyClicks(form.name, "web-probe")
    with qtbot.waitSignal(app.health.check_changed, timeout=10_000):
        qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    assert form.error.text() == ""
    qtbot.mouseClick(form.new, Qt.MouseButton.LeftButton)
    assert form.add.text() == "Add check"

    app.faults.inject("crash_loop", cluster.id, sick.id, 0.0, 0.0)
    qtbot.waitUntil(lambda: panel.state_colour_of(sick.name) == RED, timeout=20_000)
    other = droplets.item(1)
    assert other is not None
    assert panel.state_colour_of(other.name) == GREEN
    qtbot.waitUntil(lambda: "opened:" in app.window.statusBar().currentMessage(), timeout=10_000)
    assert "web-probe" in app.window.statusBar().currentMessage()  # the edited name
    assert app.unhealthy_tile.text() == "1 unhealthy target"
    qtbot.mouseClick(app.unhealthy_tile, Qt.MouseButton.LeftButton)
    assert app.window.stack.currentWidget() is panel


def test_a_refused_check_shows_the_servers_message(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    app.window.show_panel("Health")
    form = app.health_panel.form
    form.target_id.setValue(4242)
    qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    # Under the field the server names (the cluster / droplet id), not at the bottom.
    target_error = form.error_for("target_id")
    qtbot.waitUntil(lambda: "cluster 4242 does not exist" in target_error.text(), timeout=10_000)
    assert target_error.isVisible()
    assert not form.error.isVisible()
