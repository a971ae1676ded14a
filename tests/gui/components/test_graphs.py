"""The live-graph component on the Scaling graph: theme, pinned percentages, crosshair
read-out, time ranges served by QuerySeries, zoom/pan with reset, fault spans, markers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from clustergenie_gui.client.types import Fault, FaultKind, FaultState, Metric, ScalingAction
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.components.palette import DARK, LIGHT
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.components.theme import ThemeManager
from clustergenie_gui.widgets.scaling_panel import ScalingPanel
from tests.gui.fakes import T0, FakeTelemetryClient, make_cluster, make_decision, make_sample

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def panel(
    qtbot: QtBot, qloop: object
) -> tuple[ScalingPanel, ScalingViewModel, FakeTelemetryClient]:
    """A shown Scaling panel on cluster 1 with five minutes of samples."""
    client = FakeTelemetryClient()
    clusters = ClusterListModel()
    clusters.upsert(make_cluster(1, "web", droplet_count=3))
    vm = ScalingViewModel(client)
    vm._on_connection_changed("connected", "")
    panel = ScalingPanel(vm, clusters)
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    qtbot.waitUntil(lambda: vm.cluster_id == 1)
    start = T0.timestamp()
    with qtbot.waitSignal(vm.samples_added):  # through the metrics stream, as the server sends
        client.metrics.put_nowait(
            [
                make_sample(start + 15 * i, cpu_percent=40.0 + i, serving_droplets=3)
                for i in range(20)
            ]
        )
    return panel, vm, client


def test_percentages_are_pinned_and_the_crosshair_reads_the_nearest_sample(
    qtbot: QtBot, panel: tuple[ScalingPanel, ScalingViewModel, FakeTelemetryClient]
) -> None:
    scaling_panel, vm, _client = panel
    graph = scaling_panel.graph
    graph.redraw()
    low, high = graph.metric_plot.getPlotItem().viewRange()[1]
    assert (low, high) == (0.0, 100.0)  # CPU %: 0..100, never fitted to the data
    graph.crosshair.show_at(T0.timestamp() + 15 * 4 + 2)  # near the fifth sample
    assert graph.readout.text() == "12:01:00 UTC · CPU % 44.0 · 3 serving droplets"
    graph.crosshair.hide()
    assert graph.readout.text() == ""


def test_a_longer_range_is_served_downsampled_by_the_server(
    qtbot: QtBot, panel: tuple[ScalingPanel, ScalingViewModel, FakeTelemetryClient]
) -> None:
    scaling_panel, vm, client = panel
    graph = scaling_panel.graph
    hour = [T0.timestamp() - 3600 + 60 * i for i in range(60)]
    client.history = {
        Metric.CPU_PERCENT: (tuple(hour), tuple(20.0 + i for i in range(60))),
        Metric.SERVING_DROPLETS: (tuple(hour), (2.0,) * 60),
    }
    picker = graph.range_picker
    picker.setCurrentIndex(1)
    with qtbot.waitSignal(vm.history_changed):
        picker.activated.emit(1)  # "Last hour", as chosen from the list
    assert picker.key == "1h"
    (call,) = client.called("query_series")
    assert call[:3] == (1, (Metric.CPU_PERCENT, Metric.SERVING_DROPLETS), 3600.0)
    assert call[3] >= 200  # about one bucket per pixel column
    assert vm.history is not None
    graph.crosshair.show_at(hour[10])
    assert "CPU % 30.0 · 2 serving droplets" in graph.readout.text()
    picker.set_key("10m")  # back to the live buffer
    assert vm.history is None


def test_zoom_stops_following_until_reset(
    qtbot: QtBot, panel: tuple[ScalingPanel, ScalingViewModel, FakeTelemetryClient]
) -> None:
    scaling_panel, _vm, _client = panel
    graph = scaling_panel.graph
    assert graph.view.following
    assert not graph.reset_button.isVisibleTo(graph)
    changes: list[bool] = []
    graph.view.following_changed.connect(changes.append)
    box = graph.metric_plot.getPlotItem().vb
    box.scaleBy(x=0.5)  # what the mouse wheel does
    box.sigRangeChangedManually.emit(box.state["mouseEnabled"])
    assert changes == [False]  # stopped following (the property read is narrowed by mypy)
    assert graph.reset_button.isVisibleTo(graph)
    graph.reset_button.click()
    assert changes == [False, True]
    assert graph.view.following
    assert not graph.reset_button.isVisibleTo(graph)


def test_faults_are_shaded_and_scaling_decisions_marked(
    qtbot: QtBot, panel: tuple[ScalingPanel, ScalingViewModel, FakeTelemetryClient]
) -> None:
    scaling_panel, vm, _client = panel
    graph = scaling_panel.graph
    fault = Fault(
        1,
        FaultKind.TRAFFIC_SPIKE,
        1,
        0,
        3.0,
        T0 + timedelta(seconds=30),
        60.0,
        FaultState.ACTIVE,
        description="traffic spike ×3",
    )
    other = Fault(2, FaultKind.CPU_HOG, 2, 0, 0.8, T0, 0.0, FaultState.ACTIVE)  # another cluster
    graph.set_notes([fault, other])
    vm.apply_decision(
        make_decision(
            5, time=T0 + timedelta(seconds=90), action=ScalingAction.SCALE_UP, desired_droplets=5
        )
    )
    vm.apply_decision(make_decision(6, time=T0 + timedelta(seconds=105), action=ScalingAction.NONE))
    graph.redraw()
    spans = graph.notes.spans
    assert [(s.start, s.end, s.kind) for s in spans] == [
        (T0.timestamp() + 30, T0.timestamp() + 90, "fault")
    ]
    assert [(m.time, m.label) for m in graph.notes.markers] == [(T0.timestamp() + 90, "↑ 5")]


def test_the_graph_follows_the_theme(
    qtbot: QtBot, qapp: object, panel: tuple[ScalingPanel, ScalingViewModel, FakeTelemetryClient]
) -> None:
    scaling_panel, _vm, _client = panel
    graph = scaling_panel.graph
    theme = ThemeManager(qapp, "dark")  # type: ignore[arg-type]
    try:
        qtbot.waitUntil(
            lambda: graph.metric_plot.backgroundBrush().color().name() == DARK.graph_background
        )
        assert graph.metric_curve.opts["pen"].color().name() == DARK.series[0]
        theme.set_choice("light")
        qtbot.waitUntil(
            lambda: graph.metric_plot.backgroundBrush().color().name() == LIGHT.graph_background
        )
    finally:
        theme.set_choice("light")
        theme.deleteLater()


@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")
def test_a_custom_range_asks_without_blocking(
    qtbot: QtBot, panel: tuple[ScalingPanel, ScalingViewModel, FakeTelemetryClient]
) -> None:
    scaling_panel, vm, client = panel
    picker = scaling_panel.graph.range_picker
    custom = picker.count() - 1
    picker.setCurrentIndex(custom)
    picker.activated.emit(custom)
    dialog = picker.custom_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)  # opened, not exec()'d: the loop keeps running
    dialog.setIntValue(45)
    with qtbot.waitSignal(vm.history_changed):
        dialog.accept()
    assert picker.key == "custom:45"
    assert picker.currentText() == "Last 45 min"
    assert client.called("query_series")[0][2] == 45 * 60.0
