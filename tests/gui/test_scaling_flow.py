"""End to end against a real server: a policy set in the editor drives decisions and the graph."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_server.api.v1 import scaling_pb2 as sp
from clustergenie_server.api.v1 import scaling_pb2_grpc
from tests.auth_support import authed_channel
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


def test_a_policy_set_by_another_client_shows_once_it_decides(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., Any],
) -> None:
    """The panel loaded "no policy"; a policy set through the API (the CLI, the demo, another
    window) appears in the editor as soon as its first decision arrives."""
    server = server_factory("--time-scale", "60", "--failure-rate", "0")
    app = make_app(server.address)
    fill_and_create(qtbot, app, "web", 2)
    qtbot.waitUntil(lambda: app.provisioning.clusters.rowCount() == 1, timeout=15_000)
    app.window.show_panel("Scaling")
    qtbot.waitUntil(lambda: app.scaling.cluster_id != 0)
    cluster_id = app.scaling.cluster_id
    # Samples on the graph: the panel has long since loaded the cluster's (absent) policy.
    qtbot.waitUntil(lambda: points(app.scaling_panel.graph.metric_curve) >= 2, timeout=30_000)
    qtbot.waitUntil(lambda: not app.scaling.policy_busy, timeout=10_000)
    assert app.scaling_panel.editor.delete_button.isEnabled() is False  # "no policy" loaded

    async def set_policy() -> None:
        channel = authed_channel(server.address)
        try:
            policy = sp.ScalingPolicy(
                cluster_id=cluster_id, metric=sp.SCALING_METRIC_CPU, target=55,
                min_droplets=1, max_droplets=4, enabled=True,
            )  # fmt: skip
            stub = scaling_pb2_grpc.ScalingServiceStub(channel)
            await stub.SetPolicy(sp.SetPolicyRequest(policy=policy), timeout=5)
        finally:
            await channel.close(None)

    run(set_policy())
    qtbot.waitUntil(lambda: app.scaling.policy is not None, timeout=30_000)
    shown = app.scaling.policy
    assert shown is not None
    assert shown.target == 55
    assert app.scaling_panel.editor.target_spin.value() == 55
    assert app.scaling_panel.editor.delete_button.isEnabled()


def test_scale_by_hand_follows_the_clusters_size_until_the_user_edits_it(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., Any],
) -> None:
    server = server_factory("--time-scale", "60", "--failure-rate", "0")
    app = make_app(server.address)
    fill_and_create(qtbot, app, "web", 2)
    qtbot.waitUntil(lambda: app.provisioning.clusters.rowCount() == 1, timeout=15_000)
    app.window.show_panel("Scaling")
    qtbot.waitUntil(lambda: app.scaling.cluster_id != 0)
    control = app.scaling_panel.scale_control
    qtbot.waitUntil(lambda: control.current_count() == 2, timeout=30_000)
    assert control.count_spin.value() == 2

    def scale_elsewhere(count: int) -> bool:
        """Scale through the API; False while the cluster's previous job still runs."""

        async def go() -> bool:
            channel = authed_channel(server.address)
            try:
                stub = scaling_pb2_grpc.ScalingServiceStub(channel)
                request = sp.ScaleClusterRequest(
                    cluster_id=app.scaling.cluster_id, target_count=count
                )
                await stub.ScaleCluster(request, timeout=5)
                return True
            except grpc.aio.AioRpcError as error:
                if error.code() == grpc.StatusCode.FAILED_PRECONDITION:
                    return False  # busy with the last scale: try again
                raise
            finally:
                await channel.close(None)

        return bool(run(go()))

    assert scale_elsewhere(3)  # another client (the CLI, an auto-scaler) grows the cluster
    qtbot.waitUntil(lambda: control.count_spin.value() == 3, timeout=60_000)
    control.count_spin.setValue(5)  # the user's own number ...
    qtbot.waitUntil(lambda: scale_elsewhere(2), timeout=60_000)
    qtbot.waitUntil(lambda: control.current_count() == 2, timeout=60_000)
    assert control.count_spin.value() == 5  # ... is never overwritten
