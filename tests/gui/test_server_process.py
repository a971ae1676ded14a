"""BundledServer starts the real server as a child process, reports it, and stops it."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clustergenie_gui.client import bundled_discovery
from clustergenie_gui.client.bundled_discovery import BundledEndpoint
from clustergenie_gui.server_process import BundledServer

pytestmark = pytest.mark.slow


def test_bundled_server_reports_ready_and_stops(qtbot: QtBot, tmp_path: Path) -> None:
    server = BundledServer(
        ["--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}", "--log-level", "WARNING"],
        publish=False,
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


def test_bundled_server_is_published_for_the_ctl_while_it_runs(
    qtbot: QtBot, tmp_path: Path
) -> None:
    discovery = tmp_path / "runtime" / "bundled-server.json"
    server = BundledServer(
        ["--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}", "--log-level", "WARNING"],
        discovery_file=discovery,
    )
    with qtbot.waitSignal(server.ready, timeout=30_000) as ready:
        server.start()
    assert stat.S_IMODE(discovery.stat().st_mode) == 0o600
    assert bundled_discovery.find(discovery) == BundledEndpoint(
        ready.args[0], server.token, os.getpid()
    )
    with qtbot.waitSignal(server.stopped, timeout=15_000):
        server.stop()
    assert not discovery.exists()
