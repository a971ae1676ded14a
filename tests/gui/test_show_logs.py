"""Show logs from a droplet in Provision, a check in Health and a finding in Diagnose, against a
real server: the Logs panel opens with the droplet's (or cluster's) selector as its query, and the
tail then shows only that droplet's lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.client.logs_types import LogRow
from clustergenie_gui.client.types import FaultKind
from clustergenie_gui.models.components.navigation import Navigation, logs_of
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from tests.gui.conftest import ServerProcess
from tests.gui.test_diagnose_flow import ask, let_time_pass
from tests.gui.test_flows import FAST, column, fill_and_create
from tests.gui.test_logs_panel import entry, ingest

# The offscreen platform warns when a popup (a context menu) is shown or grabs the keyboard.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.qt_log_ignore(
        "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
    ),
]


def right_click(widget: QWidget, position: QPoint) -> None:
    """What a right click sends a widget (QTest's mouse clicks make no context menu event)."""
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, widget.mapToGlobal(position)
    )
    QApplication.sendEvent(widget, event)


def choose(qtbot: QtBot, menu: QMenu | None, text: str) -> None:
    """Pick a context menu's item by its text, as a click on it does."""
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled()
    action.trigger()
    menu.close()


def rows(app: Application) -> list[LogRow]:
    return [r for r in app.logs.model.rows() if isinstance(r, LogRow)]


def droplets_shown(app: Application) -> set[str]:
    return {r.labels.get("droplet", "") for r in rows(app)}


def assert_logs_of(qtbot: QtBot, app: Application, query: str) -> None:
    """The Logs panel is current with query in its bar, and the tail runs it."""
    assert app.window.current_panel_title() == "Logs"
    assert app.logs_panel.query_box.currentText() == query
    assert app.logs.query == query
    assert app.logs_panel.query_box.itemText(0) == query  # kept in the history too


def web_cluster(qtbot: QtBot, app: Application, count: int) -> None:
    fill_and_create(qtbot, app, "web", count)
    qtbot.waitUntil(
        lambda: column(app.provision_panel.proxy, DropletTableModel.STATUS) == ["active"] * count,
        timeout=30_000,
    )


def test_logs_of_quotes_names_and_prefers_the_droplet() -> None:
    assert logs_of(droplet="web-1", cluster="web") == Navigation("Logs", '{droplet="web-1"}')
    assert logs_of(cluster="web") == Navigation("Logs", '{cluster="web"}')
    assert logs_of(droplet='a"b\\c') == Navigation("Logs", '{droplet="a\\"b\\\\c"}')
    assert logs_of() is None


def test_show_logs_of_a_droplet_in_provision_shows_only_its_lines(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., object],
) -> None:
    server = server_factory(*FAST)
    app = make_app(server.address)
    web_cluster(qtbot, app, 2)
    panel = app.provision_panel
    first, second = (panel.proxy.item_at(r) for r in range(2))
    assert first is not None
    assert second is not None
    ingest(
        run, server.address, [entry("web", d.name, f"hello from {d.name}") for d in (first, second)]
    )
    # The Logs panel tails everything ({}) until told otherwise: both droplets' lines arrive.
    qtbot.waitUntil(lambda: {first.name, second.name} <= droplets_shown(app), timeout=20_000)

    # Right-click the second droplet: its row is selected and the menu offers Show logs.
    view = panel.droplet_view
    rect = view.visualRect(panel.proxy.index(1, 0))
    right_click(view.viewport(), rect.center())
    assert [d.name for d in panel.selected_droplets()] == [second.name]
    choose(qtbot, panel.droplet_table.menu, "Show logs")
    query = f'{{droplet="{second.name}"}}'
    assert_logs_of(qtbot, app, query)
    qtbot.waitUntil(
        lambda: f"hello from {second.name}" in {r.line for r in rows(app)}, timeout=20_000
    )
    assert droplets_shown(app) == {second.name}  # only that droplet's lines
    ingest(run, server.address, [entry("web", first.name, "later, first"),
                                 entry("web", second.name, "later, second")])  # fmt: skip
    qtbot.waitUntil(lambda: "later, second" in {r.line for r in rows(app)}, timeout=20_000)
    assert droplets_shown(app) == {second.name}  # the live tail follows the query too

    # Ctrl+L on the first droplet's row does the same for it.
    app.window.show_panel("Provision")
    app.window.activateWindow()  # what the window manager does once the menu has closed
    qtbot.waitUntil(app.window.isActiveWindow)
    panel.droplet_table.select_id(first.id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert_logs_of(qtbot, app, f'{{droplet="{first.name}"}}')
    qtbot.waitUntil(lambda: "later, first" in {r.line for r in rows(app)}, timeout=20_000)
    assert droplets_shown(app) == {first.name}

    # With the cluster selected and no droplet, Show logs is the cluster's.
    app.window.show_panel("Provision")
    panel.select_cluster(first.cluster_id)
    panel.droplet_table.selection.select_ids([])
    assert panel.logs_button.isEnabled()
    qtbot.mouseClick(panel.logs_button, Qt.MouseButton.LeftButton)
    assert_logs_of(qtbot, app, '{cluster="web"}')
    qtbot.waitUntil(lambda: {first.name, second.name} <= droplets_shown(app), timeout=20_000)


def test_show_logs_of_a_health_check_target(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    web_cluster(qtbot, app, 2)
    cluster = app.provisioning.clusters.item(0)
    assert cluster is not None
    app.window.show_panel("Health")
    panel, form = app.health_panel, app.health_panel.form
    assert not panel.logs_button.isEnabled()  # nothing selected yet
    form.target_id.setValue(cluster.id)
    form.interval.setValue(1.0)
    form.timeout.setValue(0.5)
    with qtbot.waitSignal(app.health.check_created, timeout=10_000):
        qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)

    def targets_shown() -> int:
        group = panel.grid.topLevelItem(0)
        return group.childCount() if group is not None else 0

    qtbot.waitUntil(lambda: targets_shown() == 2, timeout=20_000)
    group = panel.grid.topLevelItem(0)
    assert group is not None
    row = group.child(1)
    assert row is not None
    name = row.text(0)

    right_click(panel.grid.viewport(), panel.grid.visualItemRect(row).center())
    assert panel.grid.selectedItems() == [row]
    choose(qtbot, panel.menu, "Show logs")
    assert_logs_of(qtbot, app, f'{{droplet="{name}"}}')
    qtbot.waitUntil(lambda: bool(rows(app)), timeout=20_000)  # the simulation's lines
    assert droplets_shown(app) == {name}

    # The cluster's row: its logs are the cluster's.
    app.window.show_panel("Health")
    group = panel.grid.topLevelItem(0)  # the grid is redrawn as results come in
    assert group is not None
    panel.grid.setCurrentItem(group)
    qtbot.mouseClick(panel.logs_button, Qt.MouseButton.LeftButton)
    assert_logs_of(qtbot, app, '{cluster="web"}')


def test_show_logs_of_a_diagnosis_finding(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., object],
) -> None:
    app = make_app(server_factory("--time-scale", "120", "--failure-rate", "0").address)
    web_cluster(qtbot, app, 3)
    leaking = app.provisioning.droplets.items()[0]
    cluster_id = leaking.cluster_id
    let_time_pass(qtbot, app, run, 600)
    run(app.client.inject_fault(FaultKind.MEMORY_LEAK, cluster_id, leaking.id, 4.0))
    let_time_pass(qtbot, app, run, 420)
    app.window.show_panel("Diagnose")
    panel = app.diagnose_panel
    panel.cluster_combo.setCurrentIndex(panel.cluster_combo.findData(cluster_id))
    ask(qtbot, app, "Why is p95 high?")
    card = next(c for c in panel.cards if c.finding.droplet_id == leaking.id)
    assert card.logs_button.isVisible()
    qtbot.mouseClick(card.logs_button, Qt.MouseButton.LeftButton)
    assert_logs_of(qtbot, app, f'{{droplet="{leaking.name}"}}')
    qtbot.waitUntil(lambda: bool(rows(app)), timeout=20_000)
    assert droplets_shown(app) == {leaking.name}
