"""Graphs against a real server: the shared time range picker on graphs other than Scaling
(asks the server for the new window, widens the x range), and a cluster's faults and deploys
(made through the gRPC API, as the CLI would) shaded and marked on its graph."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.widgets.graph_tools import TimeRangePicker
from clustergenie_server.api.v1 import (
    deploys_pb2,
    deploys_pb2_grpc,
    provisioning_pb2_grpc,
    telemetry_pb2_grpc,
)
from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.api.v1 import telemetry_pb2 as tpb
from tests.auth_support import authed_channel
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess
from tests.gui.test_logs_panel import entry, ingest

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]

FAST = ("--time-scale", "20", "--failure-rate", "0")
SCREENSHOTS = Path(
    os.environ.get("CLUSTERGENIE_GRAPH_SHOTS", Path(tempfile.gettempdir()) / "cg-graph-shots")
)


def call(run: Callable[..., Any], address: str, rpc: Callable[[Any], Awaitable[Any]]) -> Any:
    """One RPC on a channel of the test's own (not the GUI's)."""

    async def go() -> Any:
        channel = authed_channel(address)
        try:
            return await rpc(channel)
        finally:
            await channel.close(None)

    return run(go())


def create_cluster(run: Callable[..., Any], address: str, name: str, count: int = 2) -> int:
    """Create a cluster through ProvisioningService; its id."""

    async def go(channel: Any) -> Any:
        stub = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
        catalog = await stub.GetCatalog(pb.GetCatalogRequest(), timeout=5)
        request = pb.CreateClusterRequest(
            name=name,
            region=catalog.regions[0].slug,
            size=catalog.sizes[0].slug,
            image=catalog.images[0].slug,
            droplet_count=count,
        )
        return await stub.CreateCluster(request, timeout=5)

    return int(call(run, address, go).cluster.id)


def choose_by_keyboard(qtbot: QtBot, picker: TimeRangePicker, key: str) -> None:
    """Focus the picker and press Down until `key` is chosen (as a user would)."""
    picker.setFocus()
    for _ in range(picker.count()):
        if picker.key == key:
            return
        qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert picker.key == key


def test_one_hour_on_the_overview_asks_the_server_and_widens_the_sparklines(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., Any],
) -> None:
    server = server_factory(*FAST)
    app = make_app(server.address)
    cluster_id = create_cluster(run, server.address, "spark")
    sparklines = app.overview_panel.sparklines
    assert sparklines is not None
    app.window.show_panel("Overview")
    qtbot.waitUntil(lambda: cluster_id in sparklines.cards, timeout=15_000)
    card = sparklines.cards[cluster_id]
    qtbot.waitUntil(lambda: card.cpu_line.xs.size >= 2, timeout=30_000)
    start, end = card.cpu_line.x_range
    assert end - start <= 600.0  # the live window: the last 10 simulated minutes at most
    asked: list[float] = []
    query_series = app.client.query_series

    async def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["window_seconds"])
        return await query_series(*args, **kwargs)

    app.client.query_series = spy  # type: ignore[method-assign]
    choose_by_keyboard(qtbot, sparklines.range_picker, "1h")
    qtbot.waitUntil(lambda: cluster_id in app.telemetry.history, timeout=15_000)
    assert asked == [3600.0]  # one downsampled query per cluster, for the hour
    qtbot.waitUntil(lambda: card.cpu_line.x_range[1] - card.cpu_line.x_range[0] == 3600.0)
    assert "1 simulated hour" in sparklines.title.text()
    assert "1 simulated hour" in card.cpu_line.toolTip()


def test_one_hour_on_the_logs_graph_asks_for_an_hour_of_stats(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., Any],
) -> None:
    server = server_factory(*FAST)
    app = make_app(server.address)
    app.window.show_panel("Logs")
    ingest(run, server.address, [entry("web", "web-1", f"GET /api 200 #{i}") for i in range(5)])
    graph = app.logs_panel.graph
    stats = app.logs.stats
    qtbot.waitUntil(lambda: stats.step > 0 and len(stats.times()) > 0, timeout=15_000)
    assert stats.step == 10.0  # 10 minutes in 10 s buckets
    asked: list[tuple[float, float]] = []
    client_stats = app.logs._client.stats

    def spy(query: str, start: float, step: float) -> Any:
        asked.append((start, step))
        return client_stats(query, start, step)

    app.logs._client.stats = spy  # type: ignore[method-assign,assignment]
    choose_by_keyboard(qtbot, app.logs_panel.range_box, "1h")
    qtbot.waitUntil(lambda: stats.step == 60.0 and len(stats.times()) > 0, timeout=15_000)
    ((start, step),) = asked
    assert step == 60.0
    qtbot.waitUntil(lambda: graph.rate_plot.getPlotItem().viewRange()[0][0] <= start + 60)
    low, high = graph.rate_plot.getPlotItem().viewRange()[0]
    assert high - low >= 3600.0 - 60  # the x axis spans the hour asked for


def test_a_fault_and_a_deploy_from_the_api_are_shaded_and_marked_on_the_cluster_graph(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., Any],
) -> None:
    server = server_factory(*FAST)
    app = make_app(server.address)
    cluster_id = create_cluster(run, server.address, "notes")
    app.window.show_panel("Scaling")
    qtbot.waitUntil(lambda: app.provisioning.clusters.get(cluster_id) is not None)
    app.scaling_panel.select_cluster(cluster_id)
    graph = app.scaling_panel.graph
    qtbot.waitUntil(lambda: app.scaling.buffer.last_time is not None, timeout=15_000)

    def inject(channel: Any) -> Any:
        stub = telemetry_pb2_grpc.TelemetryServiceStub(channel)
        request = tpb.InjectFaultRequest(
            kind=tpb.FAULT_KIND_CPU_HOG, cluster_id=cluster_id, magnitude=0.7
        )
        return stub.InjectFault(request, timeout=5)

    fault = call(run, server.address, inject)
    # Faults have no stream: the notes' slow refresh finds one another client injected.
    qtbot.waitUntil(lambda: len(graph.notes.spans) == 1, timeout=3 * app.graph_notes.REFRESH_MS)
    (span,) = graph.notes.spans
    assert span.kind == "fault"
    assert span.start == pytest.approx(fault.start_at.ToDatetime().timestamp(), abs=1)
    assert span.end > span.start  # still active: it runs up to now

    def deploy(channel: Any) -> Any:
        stub = deploys_pb2_grpc.DeployServiceStub(channel)
        request = deploys_pb2.DeployVersionRequest(cluster_id=cluster_id, version="2.0.0")
        return stub.DeployVersion(request, timeout=5)

    started = call(run, server.address, deploy)
    # The deploy's job in the jobs stream refreshes the notes at once (well within a refresh).
    qtbot.waitUntil(
        lambda: any(m.kind == "deploy" for m in graph.notes.markers),
        timeout=app.graph_notes.REFRESH_MS // 2,
    )
    (marker,) = [m for m in graph.notes.markers if m.kind == "deploy"]
    assert marker.label == "deploy 2.0.0"
    assert marker.time == pytest.approx(started.deployment.started_at)
    assert graph.notes._markers
    assert graph.notes._spans  # drawn as plot items
    graph.redraw()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    app.window.resize(1280, 800)
    assert graph.grab().save(str(SCREENSHOTS / "scaling-graph-fault-and-deploy.png"))
