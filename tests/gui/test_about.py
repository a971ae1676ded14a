"""Help → About: the app's versions and the connected server's; `clustergenie --version`."""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, parse_args
from clustergenie_server.version import __version__
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess
from tests.gui.test_flows import FAST


@OFFSCREEN_WARNING
def test_about_shows_the_app_qt_grpcio_and_the_connected_servers_versions(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[..., Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    help_menu = next(a.menu() for a in app.window.menuBar().actions() if a.text() == "&Help")
    assert isinstance(help_menu, QMenu)
    assert app.window.about_action in help_menu.actions()
    app.window.about_action.trigger()  # Help → About ClusterGenie…
    dialog = app.about_dialog
    assert dialog is not None
    assert dialog.isVisible()
    texts = [label.text() for label in dialog.findChildren(type(dialog.server_label))]
    assert f"<h2>ClusterGenie {__version__}</h2>" in texts
    assert qVersion() in texts
    assert grpc.__version__ in texts
    qtbot.waitUntil(lambda: dialog.server_label.text().startswith("ClusterGenie "), timeout=10_000)
    assert dialog.server_label.text().startswith(f"ClusterGenie {__version__} (grpcio ")
    assert "database sqlite, bus in-process, cache in-process" in dialog.backends_label.text()


def test_version_prints_the_app_qt_and_grpcio(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        parse_args(["--version"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"clustergenie {__version__}\n")
    assert f"Qt {qVersion()}" in out
    assert f"grpcio {grpc.__version__}" in out
