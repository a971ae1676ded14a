"""The demo banner: hidden without a demo, says what is about to happen, pause and skip."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.client.demo_types import DemoMilestone, DemoState
from clustergenie_gui.viewmodels.demo_viewmodel import DemoViewModel
from clustergenie_gui.widgets.demo_banner_widget import DemoBanner

# The offscreen platform says so when a top-level widget is shown; nothing to do with us.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WAITING = DemoState(
    running=True, step=2, step_count=7, title="A traffic spike on shop",
    detail="shop gets 3x its traffic.", next_title="A bad deploy on api", seconds_to_next=83.4,
    milestones=(DemoMilestone("scale_out", True, "shop scaled out from 3 to 4"),
                DemoMilestone("bad_deploy_diagnosed", False, "")),
)  # fmt: skip


class FakeDemo:
    """A server's DemoService: records the presenter's calls."""

    def __init__(self, state: DemoState) -> None:
        self.state = state
        self.calls: list[str] = []

    async def get(self) -> DemoState:
        return self.state

    async def pause(self, paused: bool) -> DemoState:
        self.calls.append(f"pause {paused}")
        self.state = replace(self.state, paused=paused)
        return self.state

    async def skip(self) -> DemoState:
        self.calls.append("skip")
        self.state = replace(self.state, step=3, title="A bad deploy on api", paused=False)
        return self.state


def _banner(qtbot: QtBot, fake: FakeDemo) -> tuple[DemoViewModel, DemoBanner]:
    demo = DemoViewModel(fake)
    banner = DemoBanner(demo)
    qtbot.addWidget(banner)
    return demo, banner


def test_no_banner_on_a_server_without_a_demo(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    demo, _banner_widget = _banner(qtbot, FakeDemo(DemoState(running=False)))
    # state_changed is what shows the banner's bar (demo_wiring): it never fires here.
    with qtbot.assertNotEmitted(demo.state_changed, wait=100):
        demo._on_connection_changed("connected", "")
        assert demo._timer.isActive()
        # Its first answer says there is no demo: it stops asking.
        qtbot.waitUntil(lambda: not demo._timer.isActive())
    assert not demo.state.running


def test_banner_says_what_is_next_and_pauses_and_skips(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeDemo(WAITING)
    demo, banner = _banner(qtbot, fake)
    banner.show()  # as its bar in the window is, once state_changed says a demo plays
    with qtbot.waitSignal(demo.state_changed) as changed:
        demo._on_connection_changed("connected", "")
    assert changed.args[0].running
    assert banner.title_label.text() == "Demo 2/7 · A traffic spike on shop"
    assert banner.next_label.text() == "Next: A bad deploy on api in 1:23"
    assert "✔ scale-out" in banner.milestones_label.text()
    assert "○ bad deploy diagnosed" in banner.milestones_label.text()

    with qtbot.waitSignal(demo.state_changed):
        qtbot.mouseClick(banner.pause_button, Qt.MouseButton.LeftButton)
    assert fake.calls == ["pause True"]
    assert banner.pause_button.text() == "Resume"
    assert banner.next_label.text().startswith("Paused · next: A bad deploy on api")

    with qtbot.waitSignal(demo.state_changed):
        qtbot.mouseClick(banner.skip_button, Qt.MouseButton.LeftButton)
    assert fake.calls == ["pause True", "skip"]
    assert banner.title_label.text() == "Demo 3/7 · A bad deploy on api"
    assert banner.pause_button.text() == "Pause"
    demo._on_connection_changed("disconnected", "")
