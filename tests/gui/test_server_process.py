"""BundledServer starts the real server as a child process, reports it, and stops it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clustergenie_gui.server_process import BundledServer

pytestmark = pytest.mark.slow


def test_bundled_server_reports_ready_and_stops(qtbot: QtBot, tmp_path: Path) -> None:
    server = BundledServer(
        ["--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}", "--log-level", "WARNING"]
    )
    with qtbot.waitSignal(server.ready, timeout=30_000) as ready:
        server.start()
    host, _, port = ready.args[0].rpartition(":")
    assert host == "127.0.0.1"
    assert int(port) > 0
    assert server.running
    with qtbot.waitSignal(server.stopped, timeout=15_000):
        server.stop()
    assert not server.running


def test_bundled_server_failure_carries_the_log_tail(qtbot: QtBot) -> None:
    server = BundledServer(["--time-scale", "not-a-number"])
    with qtbot.waitSignal(server.failed, timeout=30_000) as failed:
        server.start()
    message = failed.args[0]
    assert "exited with code" in message
    assert "time-scale" in message  # argparse's complaint, from stderr


def test_missing_program_fails(qtbot: QtBot) -> None:
    server = BundledServer(program=str(Path(sys.executable).parent / "no-such-python"))
    with qtbot.waitSignal(server.failed, timeout=10_000) as failed:
        server.start()
    assert "Could not start" in failed.args[0]
