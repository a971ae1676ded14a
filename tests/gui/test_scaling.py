"""Scaling view-model and panel over the fake client: policy, manual scale, decisions, graph."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.types import (
    RateLimit,
    RateLimitKind,
    ScalingMetric,
    ScalingPolicy,
    ScalingRules,
    ScheduledMinimum,
    SnapshotComplete,
)
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.decision_table_model import DecisionTableModel
from clustergenie_gui.models.metric_buffer import MetricBuffer
from clustergenie_gui.models.policy_format import format_weekdays, parse_weekdays
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.scaling_graph_widget import ScalingGraph
from clustergenie_gui.widgets.scaling_panel import ScalingPanel
from tests.gui.curves import curve_x, curve_y, points
from tests.gui.fakes import FakeTelemetryClient, make_cluster, make_decision, make_sample

T = 1_767_268_800.0  # simulated Unix seconds


@pytest.fixture
def client(qloop: object) -> FakeTelemetryClient:
    """The fake client with telemetry and scaling."""
    return FakeTelemetryClient()


def following(qtbot: QtBot, client: FakeTelemetryClient, cluster_id: int = 1) -> ScalingViewModel:
    """A connected view-model following cluster_id, its policy loaded."""
    vm = ScalingViewModel(client)
    vm._on_connection_changed("connected", "")
    vm.select_cluster(cluster_id)
    qtbot.waitUntil(lambda: bool(client.called("get_policy")) and not vm._busy)
    return vm


def test_ring_buffer_keeps_the_newest_samples_contiguous() -> None:
    buffer = MetricBuffer(("cpu_percent",), capacity=4)
    assert buffer.extend(make_sample(T + i, cpu_percent=i) for i in range(10)) == 10
    assert not buffer.append(make_sample(T + 5))  # older than the newest: ignored
    assert list(buffer.times()) == [T + 6, T + 7, T + 8, T + 9]
    assert list(buffer.values("cpu_percent")) == [6, 7, 8, 9]
    buffer.clear()
    assert buffer.last_time is None


def test_weekdays_parse_and_format() -> None:
    assert parse_weekdays("1-5") == (1, 2, 3, 4, 5)
    assert parse_weekdays("sat, sun") == (6, 7)
    assert parse_weekdays("") == ()
    assert format_weekdays((1, 2, 3, 4, 5)) == "1-5"
    with pytest.raises(ValueError, match="not a day"):
        parse_weekdays("8")


def test_decision_model_caps_its_history() -> None:
    model = DecisionTableModel(limit=3)
    for decision_id in range(1, 6):
        model.add(make_decision(decision_id))
    assert [d.id for d in model.items()] == [5, 4, 3]
    assert model.index(0, DecisionTableModel.DROPLETS).data() == "2 → 3"
    assert model.index(0, DecisionTableModel.ACTION).data() == "scale up"


def test_following_a_cluster_streams_samples_and_decisions(
    qtbot: QtBot, client: FakeTelemetryClient
) -> None:
    vm = following(qtbot, client)
    assert vm.policy is None  # NOT_FOUND is "no policy", not an error
    assert ("watch_metrics", (1, vm.WINDOW_SECONDS)) in client.calls
    with qtbot.waitSignal(vm.samples_added, check_params_cb=lambda n: n == 2):
        client.metrics.put_nowait(
            [
                make_sample(T, cpu_percent=40, serving_droplets=2),
                make_sample(T + 10, cpu_percent=50, serving_droplets=2),
                make_sample(T + 10, cluster_id=2, cpu_percent=99),
            ]
        )
    assert list(vm.buffer.values("cpu_percent")) == [40, 50]
    client.decision_events.put_nowait(make_decision(1))
    client.decision_events.put_nowait(make_decision(2, cluster_id=2))
    client.decision_events.put_nowait(SnapshotComplete())
    qtbot.waitUntil(lambda: vm.decisions.rowCount() == 1)
    with qtbot.waitSignal(vm.cluster_changed):
        vm.select_cluster(2)
    assert len(vm.buffer) == 0
    assert vm.decisions.rowCount() == 0
    qtbot.waitUntil(lambda: client.stream_starts["metrics"] == 2)


def test_save_delete_and_scale(qtbot: QtBot, client: FakeTelemetryClient) -> None:
    vm = following(qtbot, client)
    policy = ScalingPolicy(1, ScalingMetric.P95_LATENCY, 250, 2, 6)
    with qtbot.waitSignal(vm.policy_saved):
        vm.save_policy(policy)
    assert vm.policy is not None
    assert vm.graph_metric == ScalingMetric.P95_LATENCY
    with qtbot.waitSignal(vm.policy_changed, check_params_cb=lambda p: p is None):
        vm.delete_policy()
    with qtbot.waitSignal(vm.scale_started):
        vm.scale_to(4)
    assert client.called("scale_cluster") == [(1, 4)]
    client.errors["scale_cluster"] = ClientError("FAILED_PRECONDITION", "cluster is deleting")
    with qtbot.waitSignal(vm.scale_error, check_params_cb=bool):
        vm.scale_to(5)


# Panel ------------------------------------------------------------------------------------


def scaling_panel(
    qtbot: QtBot, client: FakeTelemetryClient
) -> tuple[ScalingPanel, ScalingViewModel]:
    """A shown panel following cluster 1 ("web") of two."""
    clusters = ClusterListModel()
    clusters.upsert(make_cluster(1, "web"))
    clusters.upsert(make_cluster(2, "worker"))
    vm = ScalingViewModel(client)
    vm._on_connection_changed("connected", "")
    panel = ScalingPanel(vm, clusters)
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    qtbot.waitUntil(lambda: vm.cluster_id == 1 and bool(client.called("get_policy")))
    qtbot.waitUntil(lambda: not vm._busy)
    return panel, vm


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_editing_the_policy_and_saving_sends_it(qtbot: QtBot, client: FakeTelemetryClient) -> None:
    panel, vm = scaling_panel(qtbot, client)
    editor = panel.editor
    assert not editor.delete_button.isEnabled()
    editor.metric_combo.setCurrentIndex(editor.metric_combo.findData("requests_per_droplet"))
    editor.target_spin.setValue(80)
    editor.min_spin.setValue(2)
    editor.max_spin.setValue(8)
    editor.tolerance_spin.setValue(0.2)
    editor.down_window.setValue(120)
    qtbot.mouseClick(editor.rate_limits.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.schedules.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(vm.policy_saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert client.called("set_policy") == [
        (
            ScalingPolicy(
                cluster_id=1,
                metric=ScalingMetric.REQUESTS_PER_DROPLET,
                target=80,
                min_droplets=2,
                max_droplets=8,
                tolerance=0.2,
                scale_up=ScalingRules(rate_limits=(RateLimit(RateLimitKind.DROPLETS, 2, 60.0),)),
                scale_down=ScalingRules(stabilization_window_seconds=120.0),
                schedules=(ScheduledMinimum(2, 8, 18, (1, 2, 3, 4, 5)),),
            ),
        )
    ]
    assert editor.delete_button.isEnabled()
    assert "requests/s per droplet" in panel.summary_label.text()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_server_rejection_shows_next_to_the_editor(
    qtbot: QtBot, client: FakeTelemetryClient
) -> None:
    panel, vm = scaling_panel(qtbot, client)
    message = "max_droplets (1) must be at least min_droplets (3)"
    client.errors["set_policy"] = ClientError("INVALID_ARGUMENT", message)
    panel.editor.min_spin.setValue(3)
    panel.editor.max_spin.setValue(1)
    with qtbot.waitSignal(vm.policy_error, check_params_cb=bool):
        qtbot.mouseClick(panel.editor.save_button, Qt.MouseButton.LeftButton)
    assert panel.editor.error_label.isVisibleTo(panel)
    assert panel.editor.error_label.text() == message
    assert panel.editor.save_button.isEnabled()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_graph_is_there_once_the_panel_shows(qtbot: QtBot, client: FakeTelemetryClient) -> None:
    vm = ScalingViewModel(client)
    panel = ScalingPanel(vm, ClusterListModel())
    qtbot.addWidget(panel)
    assert panel.findChild(ScalingGraph) is None  # pyqtgraph waits: the app shows sooner
    panel.show()
    graph = panel.findChild(ScalingGraph)
    assert graph is panel.graph
    qtbot.waitUntil(graph.isVisible)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_new_samples_update_the_graph(qtbot: QtBot, client: FakeTelemetryClient) -> None:
    panel, vm = scaling_panel(qtbot, client)
    client.policies[1] = ScalingPolicy(1, ScalingMetric.CPU, 60, 1, 5)
    with qtbot.waitSignal(vm.policy_changed):
        vm.load_policy()
    graph = panel.graph
    samples = [
        make_sample(T + 10 * i, cpu_percent=30 + i, serving_droplets=2 + i // 3) for i in range(6)
    ]
    client.metrics.put_nowait(samples[:3])
    qtbot.waitUntil(lambda: points(graph.metric_curve) == 3)
    client.metrics.put_nowait(samples[3:])
    qtbot.waitUntil(lambda: points(graph.metric_curve) == 6)
    assert np.array_equal(curve_x(graph.metric_curve), [s.time for s in samples])
    assert np.array_equal(curve_y(graph.metric_curve), [30, 31, 32, 33, 34, 35])
    assert np.array_equal(curve_y(graph.count_curve), [2, 2, 2, 3, 3, 3])
    assert set(curve_y(graph.target_curve)) == {60}
    low, high = graph.metric_plot.getPlotItem().viewRange()[0]
    assert high - low == pytest.approx(vm.WINDOW_SECONDS, rel=0.01)
    assert high >= samples[-1].time
