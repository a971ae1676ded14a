"""End to end against a real server: a policy set in the editor drives decisions and the graph."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess
from tests.gui.curves import curve_y, points
from tests.gui.test_flows import fill_and_create

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]


def test_policy_from_the_editor_drives_decisions_and_the_graph(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory("--time-scale", "60", "--failure-rate", "0").address)
    fill_and_create(qtbot, app, "web", 2)
    qtbot.waitUntil(lambda: app.provisioning.clusters.rowCount() == 1, timeout=15_000)
    app.window.show_panel("Scaling")
    panel = app.scaling_panel
    qtbot.waitUntil(lambda: app.scaling.cluster_id != 0)
    graph = panel.graph
    qtbot.waitUntil(lambda: points(graph.metric_curve) >= 2, timeout=30_000)
    editor = panel.editor
    editor.metric_combo.setCurrentIndex(editor.metric_combo.findData("cpu"))
    editor.target_spin.setValue(50)
    editor.min_spin.setValue(1)
    editor.max_spin.setValue(4)
    with qtbot.waitSignal(app.scaling.policy_saved, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.error_label.isHidden()
    assert editor.delete_button.isEnabled()
    qtbot.waitUntil(lambda: app.scaling.decisions.rowCount() >= 2, timeout=30_000)
    decision = app.scaling.decisions.item(0)
    assert decision is not None
    assert decision.cluster_id == app.scaling.cluster_id
    assert decision.reason
    before = points(graph.metric_curve)
    qtbot.waitUntil(lambda: points(graph.metric_curve) > before, timeout=30_000)
    assert set(curve_y(graph.target_curve)) == {50}
    # A policy the server refuses shows its message by the editor.
    editor.min_spin.setValue(5)
    editor.max_spin.setValue(2)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.error_label.isVisibleTo(app.window), timeout=10_000)
    assert "max_droplets" in editor.error_label.text() or "min" in editor.error_label.text()
