"""Wiring of the demo banner into an Application (one call from Application.__init__): a
strip above the panels while the connected server plays its demo (`clustergenie --demo`)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from clustergenie_gui.client.auth_types import Role
from clustergenie_gui.client.demo_client import DemoClient
from clustergenie_gui.client.demo_types import DemoState
from clustergenie_gui.viewmodels.demo_viewmodel import DemoViewModel
from clustergenie_gui.widgets.demo_banner_widget import DemoBanner

if TYPE_CHECKING:
    from clustergenie_gui.app import Application


def install_demo(app: Application) -> DemoBanner:
    """The banner, its view-model (asking while connected) and the operator gate on controls."""
    demo = DemoViewModel(DemoClient(app.client), parent=app)
    banner = DemoBanner(demo)
    # Above the sidebar and panels, in a fixed tool bar that takes no room until a demo plays
    # (a widget in a tool bar is shown and hidden through its action).
    bar = QToolBar("Demo")
    bar.setObjectName("demoBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setVisible(False)  # not in the window's context menu
    shown = bar.addWidget(banner)
    app.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    bar.setVisible(False)

    def _on_state_changed(state: DemoState) -> None:
        shown.setVisible(state.running)
        bar.setVisible(state.running)

    demo.state_changed.connect(_on_state_changed)
    app.connection.connection_changed.connect(demo._on_connection_changed)
    for button in (banner.pause_button, banner.skip_button):
        app.role_gate.add(button, Role.OPERATOR)
    return banner


def demo_server_args(database_url: str | None) -> list[str]:
    """The bundled server's flags for --demo: the story on a fresh database of its own (one
    temporary directory per launch), unless --database-url chose one."""
    args = ["--demo"]
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="clustergenie-demo-")
        args += ["--database-url", f"sqlite:///{Path(folder) / 'demo.sqlite'}"]
    return args
