"""The Diagnose panel over a scripted DiagnosisClient: the steps and the streamed answer show,
the root cause becomes a card with its evidence graph and remedies, Apply shows the preview
and Confirm applies it; the verdict, the timeline and the sessions show."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.viewmodels.diagnosis_viewmodel import DiagnosisViewModel
from clustergenie_gui.widgets.diagnose_panel import DiagnosePanel
from tests.gui.conftest import OFFSCREEN_WARNING
from tests.gui.fakes import make_cluster, make_droplet

LEAK = d.Finding(
    "memory_leak", "web-2", 2, "critical", 0.97, 1.0e9,
    "web-2's memory grows 2.00 %/min: exhausted in 12 min",
    facts=(("time to exhaustion", "12 min"),),
    metrics=(d.MetricPoints("memory_percent", "web-2", (1.0e9, 1.0e9 + 60), (40.0, 42.0),
                            None, "%"),),
)  # fmt: skip
REPLACE = d.Remedy("r1", "replace", "Replace web-2", "a fresh droplet", 12.0, 12.0, True, "web-2")


class ScriptedClient:
    """Streams a scripted investigation and records what was asked and applied."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, int, str]] = []
        self.applied: list[str] = []
        self.release = asyncio.Event()

    async def diagnose(
        self, cluster_id: int, droplet_id: int, question: str, window: float, session_id: int = 0
    ) -> AsyncIterator[d.DiagnoseEvent]:
        self.asked.append((cluster_id, droplet_id, question))
        yield d.Step(1, "query_metrics", "read 360 ticks; suspect: web-2", 0.01)
        yield d.Findings((d.Cause(LEAK, (), (LEAK.summary,)),), (), ("memory",))
        yield d.Token("**Root cause:** ")
        await self.release.wait()  # the rest of the answer streams later
        yield d.Token("web-2 leaks memory.")
        yield d.Remedies((REPLACE,))
        yield d.Done(7, "**Root cause:** web-2 leaks memory.")

    async def apply_remedy(self, session_id: int, remedy_id: str) -> AsyncIterator[d.RemedyEvent]:
        self.applied.append(remedy_id)
        yield d.RemedyJob(3, "provision_droplet", "succeeded")
        yield d.Verdict(True, "resolved: the leak is gone", session_id)

    async def timeline(self, cluster_id: int, window: float) -> list[d.TimelineEntry]:
        return [d.TimelineEntry(1.0e9, "finding", LEAK.summary)]

    async def list_sessions(self, cluster_id: int = 0) -> list[d.SessionInfo]:
        return [d.SessionInfo(7, 1, 0, "web: what is wrong?", 1.0e9)]

    async def get_session(self, session_id: int) -> d.SessionDetail:
        info = d.SessionInfo(session_id, 1, 0, "web: what is wrong?", 1.0e9)
        answer = (
            '**Causal chain:** log pattern "KeyError while handling <*> (request <NUM>)" '
            "appeared 467 times\n\n- a sender's <b>markup</b> stays text"
        )
        return d.SessionDetail(info, (d.Turn("what is wrong?", answer, (), None, ()),))


@pytest.fixture
def panel(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> tuple[DiagnosePanel, ScriptedClient]:
    """A panel over a scripted client, with one cluster of two droplets."""
    client = ScriptedClient()
    vm = DiagnosisViewModel(client)  # type: ignore[arg-type]
    clusters, droplets = ClusterListModel(), DropletTableModel()
    clusters.upsert(make_cluster(1))
    droplets.upsert(make_droplet(1))
    droplets.upsert(make_droplet(2))
    widget = DiagnosePanel(vm, clusters, droplets)
    qtbot.addWidget(widget)
    return widget, client


def test_ask_streams_the_answer_then_applying_a_remedy_shows_the_verdict(
    qtbot: QtBot, panel: tuple[DiagnosePanel, ScriptedClient]
) -> None:
    widget, client = panel
    assert widget.droplet_combo.count() == 3  # the whole cluster and its two droplets
    qtbot.mouseClick(widget.suggestion_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Root cause:" in widget.answer_view.toPlainText())
    assert client.asked == [(1, 0, "What is wrong with this cluster?")]
    assert not widget.ask_button.isEnabled()  # still streaming
    assert widget.steps_list.item(0).text().startswith("1. query_metrics")
    assert "memory leak · web-2 · critical" in widget.cards[0].heading.text()
    assert widget.cards[0].findChild(QWidget, "graph_memory_percent") is not None
    # Show logs on the card: the Logs panel, filtered to the finding's droplet.
    opened: list[Navigation] = []
    widget.navigate_requested.connect(opened.append)
    widget.cards[0].logs_button.click()
    assert opened == [Navigation("Logs", '{droplet="web-2"}')]

    client.release.set()
    qtbot.waitUntil(lambda: "web-2 leaks memory." in widget.answer_view.toPlainText())
    qtbot.waitUntil(lambda: widget.timeline_list.count() == 1 and widget.sessions_list.count() == 1)
    row = widget.cards[0].remedy_rows[0]
    qtbot.mouseClick(row.apply_button, Qt.MouseButton.LeftButton)
    assert not row.preview.isHidden()
    assert client.applied == []  # nothing happens before the user confirms
    qtbot.mouseClick(row.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "resolved: the leak is gone" in widget.verdict_label.text())
    assert client.applied == ["r1"]
    assert "job 3 provision droplet: succeeded" in widget.progress_label.text()


@OFFSCREEN_WARNING  # shown: the offscreen platform warns about size hints
def test_a_click_on_a_session_shows_it_with_log_patterns_as_written(
    qtbot: QtBot, panel: tuple[DiagnosePanel, ScriptedClient]
) -> None:
    """A drain pattern's <*> and <NUM> (or any markup a log line carries) read as text; a
    single click opens the session, as Enter does."""
    widget, _client = panel
    widget.show()  # shown, the panel loads the session history
    qtbot.waitUntil(lambda: widget.sessions_list.count() == 1)
    item = widget.sessions_list.item(0)
    rect = widget.sessions_list.visualItemRect(item)
    qtbot.mouseClick(widget.sessions_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: "appeared 467 times" in widget.answer_view.toPlainText())
    text = widget.answer_view.toPlainText()
    assert "while handling <*> (request <NUM>)" in text
    assert "<b>markup</b> stays text" in text
