"""The Diagnose panel against a real server: a bad deploy and a memory leak are asked about,
the steps and the streamed answer show, the root cause card has its evidence, and applying
the proposed remedy ends with the follow-up's verdict. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.client.telemetry_types import SimulationClock
from clustergenie_gui.client.types import FaultKind
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from tests.gui.conftest import ServerProcess
from tests.gui.test_flows import column, fill_and_create

# The question's completer pops up a list, which the offscreen platform cannot give the keyboard.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.qt_log_ignore(
        "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
    ),
]

FAST = ("--time-scale", "120", "--failure-rate", "0")
# The screenshots of docs/ are refreshed only when asked (CLUSTERGENIE_SCREENSHOTS=1): a test
# run must not rewrite tracked files; otherwise they go to a scratch folder.
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("CLUSTERGENIE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "clustergenie-test-screenshots"
)


def sim_now(app: Application, run: Callable[..., object]) -> float:
    """The server's simulated now."""
    clock = run(app.client.get_clock())
    assert isinstance(clock, SimulationClock)
    assert clock.now is not None
    return clock.now.timestamp()


def let_time_pass(
    qtbot: QtBot, app: Application, run: Callable[..., object], seconds: float
) -> None:
    """Wait until the simulation has run `seconds` more."""
    target = sim_now(app, run) + seconds
    qtbot.waitUntil(lambda: sim_now(app, run) >= target, timeout=60_000)


def ask(qtbot: QtBot, app: Application, question: str) -> None:
    """Type a question and click Ask, as a user does; wait for the answer to finish."""
    panel = app.diagnose_panel
    panel.question_edit.clear()
    qtbot.keyClicks(panel.question_edit, question)
    with qtbot.waitSignal(app.diagnosis.session_changed, timeout=60_000, raising=False):
        qtbot.mouseClick(panel.ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.diagnosis.busy and bool(app.diagnosis.answer), timeout=60_000)


def apply_first(qtbot: QtBot, app: Application, action: str) -> d.Verdict:
    """Click Apply on the root card's remedy `action`, then Confirm; the follow-up's verdict."""
    root = app.diagnose_panel.cards[0]
    row = next(r for r in root.remedy_rows if r.remedy.action == action)
    qtbot.mouseClick(row.apply_button, Qt.MouseButton.LeftButton)
    assert row.preview.isVisible()
    with qtbot.waitSignal(app.diagnosis.verdict_ready, timeout=90_000) as verdict:
        qtbot.mouseClick(row.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.diagnosis.busy, timeout=10_000)
    return verdict.args[0]  # type: ignore[no-any-return]


def test_ask_watch_the_answer_and_apply_a_remedy(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., object],
) -> None:
    app = make_app(server_factory(*FAST).address)
    app.window.resize(1600, 1000)
    fill_and_create(qtbot, app, "web", 5)
    proxy = app.provision_panel.proxy
    qtbot.waitUntil(
        lambda: column(proxy, DropletTableModel.STATUS) == ["active"] * 5, timeout=30_000
    )
    cluster_id = next(c.id for c in app.provisioning.clusters.items() if c.name == "web")
    let_time_pass(qtbot, app, run, 600)
    run(app.client.inject_fault(FaultKind.BAD_DEPLOY, cluster_id, 0, 0.4))
    let_time_pass(qtbot, app, run, 300)

    app.window.show_panel("Diagnose")
    panel = app.diagnose_panel
    panel.cluster_combo.setCurrentIndex(panel.cluster_combo.findData(cluster_id))
    ask(qtbot, app, "What is wrong with this cluster?")
    assert panel.steps_list.count() >= 3
    assert panel.steps_list.item(0).text().startswith("1. query_metrics")
    assert "deploy v1.0.1" in panel.answer_view.toPlainText()
    root = panel.cards[0]
    assert "Root cause: bad deploy · web" in root.heading.text()
    assert root.findChild(QWidget, "graph_error_rate") is not None

    def timeline() -> list[str]:
        return [panel.timeline_list.item(i).text() for i in range(panel.timeline_list.count())]

    # The timeline is reloaded once the answer is complete.
    qtbot.waitUntil(lambda: any("v1.0.1" in line for line in timeline()), timeout=10_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.window.grab().save(str(SHOTS / "diagnose_bad_deploy.png"))

    verdict = apply_first(qtbot, app, "roll_back")
    assert verdict.resolved, verdict.text
    assert "resolved" in panel.verdict_label.text()
    app.window.grab().save(str(SHOTS / "diagnose_rollback_resolved.png"))

    # A memory leak on one droplet: time to exhaustion, and a reboot that does not fix it.
    target = next(x for x in app.provisioning.droplets.items() if x.cluster_id == cluster_id)
    run(app.client.inject_fault(FaultKind.MEMORY_LEAK, cluster_id, target.id, 4.0))
    let_time_pass(qtbot, app, run, 420)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    ask(qtbot, app, "Why is p95 high?")
    assert target.name in panel.answer_view.toPlainText()
    assert "time to exhaustion" in panel.answer_view.toPlainText()
    app.window.grab().save(str(SHOTS / "diagnose_memory_leak.png"))
    verdict = apply_first(qtbot, app, "reboot")
    assert not verdict.resolved
    assert "Replace" in verdict.text
    app.window.grab().save(str(SHOTS / "diagnose_reboot_not_resolved.png"))
