"""The Logs panel against a real server: typing a query shows only matching lines, a click on a
spike shows the lines of that moment, gaps are rows, pausing counts new lines, memory is bounded."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.client.logs_client import LogsApi
from clustergenie_gui.client.logs_types import (
    GapRow,
    LogPattern,
    LogRow,
    ReplayComplete,
    StatsUpdate,
)
from clustergenie_gui.models.log_table_model import LogTableModel, time_text
from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.api.v1 import logs_pb2_grpc
from tests.auth_support import authed_channel
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]
# The screenshots of docs/ are refreshed only when asked (CLUSTERGENIE_SCREENSHOTS=1): a test
# run must not rewrite tracked files; otherwise they go to a scratch folder.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("CLUSTERGENIE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "clustergenie-test-screenshots"
)
NO_SIMULATION = ("--time-scale", "1", "--failure-rate", "0")


def ingest(run: Callable[..., object], address: str, entries: list[pb.IngestEntry]) -> None:
    """Send lines as an agent would (IngestLogs), on a channel of the test's own."""

    async def send() -> None:
        channel = authed_channel(address)
        try:
            stub = logs_pb2_grpc.LogServiceStub(channel)

            async def batches() -> AsyncIterator[pb.IngestLogsRequest]:
                for i in range(0, len(entries), 1000):
                    yield pb.IngestLogsRequest(batch_id=i, entries=entries[i : i + 1000])

            async for _ack in stub.IngestLogs(batches(), timeout=20):
                pass
        finally:
            await channel.close(None)

    run(send())


def entry(cluster: str, droplet: str, line: str, t: float = 0.0) -> pb.IngestEntry:
    return pb.IngestEntry(labels={"cluster": cluster, "droplet": droplet}, line=line, time=t)


def shown(app: Application) -> list[LogRow]:
    model = app.logs.model
    return [r for r in model.rows() if isinstance(r, LogRow)]


def test_typing_a_query_shows_only_matching_lines(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., object],
) -> None:
    server = server_factory(*NO_SIMULATION)
    app = make_app(server.address)
    app.window.show_panel("Logs")
    ingest(run, server.address, [
        entry("web-prod", "web-1", "GET /api 504 upstream timeout after 30s"),
        entry("web-prod", "web-2", "ERROR db timeout on orders"),
        entry("web-prod", "web-2", "GET /api 200 ok"),
        entry("db-prod", "db-1", "replication timeout"),
    ])  # fmt: skip
    panel = app.logs_panel
    qtbot.waitUntil(lambda: len(shown(app)) == 4, timeout=15_000)  # the default {} tails all
    panel.query_edit.selectAll()
    qtbot.keyClicks(panel.query_box.lineEdit(), '{cluster="web-prod"} |= "timeout"')
    qtbot.keyClick(panel.query_box.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(shown(app)) == 2, timeout=15_000)
    assert sorted(r.line for r in shown(app)) == [
        "ERROR db timeout on orders", "GET /api 504 upstream timeout after 30s"
    ]  # fmt: skip
    assert {r.labels["droplet"] for r in shown(app)} == {"web-1", "web-2"}  # across droplets
    ingest(
        run,
        server.address,
        [entry("web-prod", "web-3", "late timeout"), entry("web-prod", "web-3", "late ok")],
    )
    qtbot.waitUntil(lambda: len(shown(app)) == 3, timeout=15_000)
    assert shown(app)[-1].line == "late timeout"  # the live tail follows the query
    assert panel.query_box.itemText(0) == '{cluster="web-prod"} |= "timeout"'  # history

    panel.query_edit.selectAll()
    qtbot.keyClicks(panel.query_box.lineEdit(), '{cluster="web-prod"')
    qtbot.keyClick(panel.query_box.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.error_label.isVisible(), timeout=15_000)
    assert "character 20" in panel.error_label.text()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def test_clicking_a_spike_shows_the_lines_of_that_moment(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., object],
) -> None:
    server = server_factory(*NO_SIMULATION)
    app = make_app(server.address)
    app.window.resize(1400, 900)
    app.window.show_panel("Logs")
    now = run(app.logs._client.now())
    assert isinstance(now, float)
    background = [
        entry("web-prod", f"web-{i % 3}", f"GET /api 200 ok {i}", now - 840 + i * 7)
        for i in range(120)
    ]
    spike_t = now - 400
    spike = [
        entry("web-prod", f"web-{i % 3}", f"ERROR 503 spike {i}", spike_t + i * 0.05)
        for i in range(300)
    ]
    ingest(run, server.address, background + spike)
    panel = app.logs_panel
    panel.query_edit.selectAll()
    qtbot.keyClicks(panel.query_box.lineEdit(), '{cluster="web-prod"}')
    qtbot.keyClick(panel.query_box.lineEdit(), Qt.Key.Key_Return)
    stats = app.logs.stats
    qtbot.waitUntil(
        lambda: stats.counts.get("error") is not None and stats.counts["error"].sum() >= 300,
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: panel.graph._drawn == stats.version)
    bucket = int(stats.counts["error"].argmax())
    x = stats.start + (bucket + 0.5) * stats.step
    plot = panel.graph.rate_plot
    top = float(stats.per_second("error")[bucket] + stats.per_second("info")[bucket])
    scene = plot.getPlotItem().vb.mapViewToScene(QPointF(x, top / 2))
    pos = plot.mapFromScene(scene)
    with qtbot.waitSignal(app.logs.jumped, timeout=15_000) as jumped:
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))
    start = jumped.args[0]
    rows = shown(app)
    assert len(rows) >= 100
    assert all(start <= r.t < start + stats.step for r in rows)
    assert sum("spike" in r.line for r in rows) >= 0.9 * len(rows)
    assert not app.logs.following  # the jump pauses the tail
    assert panel.follow_button.text() == "Follow"
    moment = f"{time_text(start)[:8]}–{time_text(start + stats.step)[:8]}"
    assert panel.status_label.text() == f"{len(rows):,} lines of {moment}"
    plot.scene().sigMouseMoved.emit(scene)
    assert "errors" in panel.graph.readout.text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    app.window.grab().save(str(SCREENSHOTS / "logs_spike.png"))


def test_the_buffer_is_bounded_and_gaps_are_rows(qtbot: QtBot) -> None:
    model = LogTableModel(capacity=100)
    model.append([LogRow(float(i), {"level": "info"}, f"line {i}") for i in range(80)])
    model.append([GapRow(80.0, 1234, "the reader was slower than the lines arrived")])
    model.append([LogRow(float(i), {"level": "error"}, f"line {i}") for i in range(81, 131)])
    assert model.rowCount() == 100
    oldest = model.row_at(0)
    assert isinstance(oldest, LogRow)
    assert oldest.line == "line 31"  # 131 rows, 31 dropped
    gap = next(i for i in range(100) if isinstance(model.row_at(i), GapRow))
    assert "1,234 lines missed" in model.index(gap, 3).data()


class ScriptedLogs:
    """A LogsApi whose tail yields what the test puts in its queue; the stats stream stays
    open without an update, searches find nothing, there are no patterns."""

    def __init__(self) -> None:
        self.tail_items: asyncio.Queue[list[LogRow | GapRow | ReplayComplete]] = asyncio.Queue()

    async def now(self) -> float:
        return 1_800_000_000.0

    async def tail(
        self, query: str, since: float = 0.0, replay_limit: int = 1000
    ) -> AsyncIterator[list[LogRow | GapRow | ReplayComplete]]:
        while True:
            yield await self.tail_items.get()

    async def search(
        self,
        query: str,
        start: float,
        end: float,
        limit: int = 500,
        before: tuple[float, int] | None = None,
    ) -> AsyncIterator[list[LogRow]]:
        found: list[list[LogRow]] = []
        for page in found:
            yield page

    async def stats(
        self, query: str, start: float, step: float, *, live: bool = True, end: float = 0.0
    ) -> AsyncIterator[StatsUpdate]:
        await asyncio.Event().wait()  # the stream stays open without an update
        updates: list[StatsUpdate] = []
        for update in updates:
            yield update

    async def patterns(
        self, query: str, start: float, end: float, since: float = 0.0, limit: int = 50
    ) -> list[LogPattern]:
        return []

    async def labels(self) -> dict[str, list[str]]:
        return {"cluster": ["web-prod", "db-prod"], "level": ["error", "info"]}


def test_pause_counts_new_lines_and_follow_shows_them_with_the_gap_row(
    qtbot: QtBot, qloop: object
) -> None:
    from clustergenie_gui.viewmodels.logs_viewmodel import LogsViewModel
    from clustergenie_gui.widgets.logs_panel import LogsPanel

    client = ScriptedLogs()
    api: LogsApi = client  # mypy checks the fake against the contract
    vm = LogsViewModel(api)
    panel = LogsPanel(vm)
    qtbot.addWidget(panel)
    vm._on_connection_changed("connected", "")
    client.tail_items.put_nowait([ReplayComplete(), LogRow(1.0, {"level": "info"}, "first")])
    qtbot.waitUntil(lambda: vm.model.rowCount() == 1)
    qtbot.mouseClick(panel.follow_button, Qt.MouseButton.LeftButton)  # Pause
    assert not vm.following
    assert panel.follow_button.text() == "Follow"
    client.tail_items.put_nowait([LogRow(2.0, {"level": "error"}, "second")])
    client.tail_items.put_nowait(
        [GapRow(2.5, 40, "the reader was slower"), LogRow(3.0, {"level": "info"}, "third")]
    )
    qtbot.waitUntil(lambda: panel.new_label.text() == "2 new lines")
    assert vm.model.rowCount() == 1  # paused: the table holds still
    qtbot.mouseClick(panel.follow_button, Qt.MouseButton.LeftButton)  # Follow
    assert vm.model.rowCount() == 4
    assert panel.new_label.text() == ""
    assert vm.model.index(2, 3).data() == "— 40 lines missed here: the reader was slower —"
    panel.table.selectRow(1)
    panel.copy_selection()
    from PySide6.QtGui import QGuiApplication

    assert "ERROR" in QGuiApplication.clipboard().text()
    assert "second" in QGuiApplication.clipboard().text()
    qtbot.waitUntil(lambda: panel._completions.rowCount() > 0)
    assert 'cluster="web-prod"' in panel._completions.stringList()
    vm.stop()
