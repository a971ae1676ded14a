"""GUI fixtures: a qasync loop for pytest-qt tests, a fake client, and a real server process."""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from tests.auth_support import TEST_TOKEN
from tests.gui.fakes import FakeClient

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


class RunCoroutine(Protocol):
    """The `run` fixture: await something on the qasync loop by spinning Qt; its result."""

    def __call__(self, coroutine: Awaitable[T], timeout_ms: int = 10_000) -> T: ...


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's app settings (QSettings) live in a folder of its own, never the user's."""
    folder = str(tmp_path_factory.mktemp("settings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


# The offscreen platform warns whenever a top-level window or dialog is shown; harmless, not ours.
OFFSCREEN_WARNING = pytest.mark.qt_log_ignore(
    "This plugin does not support (propagateSizeHints|raise)"
)


@pytest.fixture
def qloop(qapp: QApplication, qtbot: QtBot) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop marked running on the QApplication for one sync test.

    qasync schedules asyncio work as Qt timers and socket notifiers, so whatever Qt event loop
    runs (qtbot.waitSignal / waitUntil spin one) also runs the asyncio tasks. The test stays a
    plain sync test, so pytest-asyncio never sees this loop; we unset it afterwards so a later
    async test can start its own.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            qtbot.waitUntil(lambda: all(task.done() for task in tasks), timeout=5000)
        asyncio.events._set_running_loop(None)
        # loop.stop() would call QApplication.exit(), which with no exec() running makes the
        # next test's qtbot.waitSignal return at once; clear qasync's running flag instead.
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture
def run(qloop: asyncio.AbstractEventLoop, qtbot: QtBot) -> RunCoroutine:
    """Run a coroutine to completion on the qasync loop by spinning Qt (for setup/teardown)."""

    def run_coroutine(coroutine: Awaitable[T], timeout_ms: int = 10_000) -> T:
        task = asyncio.ensure_future(coroutine)
        qtbot.waitUntil(task.done, timeout=timeout_ms)
        return task.result()

    return run_coroutine


@pytest.fixture
def fake_client(qloop: asyncio.AbstractEventLoop) -> FakeClient:
    """A scripted stand-in for ClusterGenieClient."""
    return FakeClient()


@dataclass
class ServerProcess:
    """A real `python -m clustergenie_server` child process."""

    process: subprocess.Popen[str]
    address: str

    def kill(self) -> None:
        """Kill it and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        if self.process.stdin:
            self.process.stdin.close()


def start_server(database: Path, *extra: str, listen: str = "127.0.0.1:0") -> ServerProcess:
    """Start a server and wait (in the test thread, not a GUI) for its READY line."""
    command = [
        sys.executable,
        "-m",
        "clustergenie_server",
        "--listen",
        listen,
        "--database-url",
        f"sqlite:///{database}",
        "--log-level",
        "WARNING",
        "--exit-with-stdin",
        *extra,
    ]
    # The admin token every test server accepts (make_app hands it to the GUI in a token file).
    environment = dict(os.environ, PYTHONUNBUFFERED="1", CLUSTERGENIE_TOKEN=TEST_TOKEN)
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
        env=environment,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        readable, _, _ = select.select([process.stdout], [], [], 0.5)
        if readable:
            line = process.stdout.readline()
            if line.startswith("CLUSTERGENIE_READY "):
                return ServerProcess(process, line.split()[1])
            if not line and process.poll() is not None:
                break
    process.kill()
    pytest.fail(f"server did not start: {' '.join(command)}")


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """Start real servers (killed after the test)."""
    started: list[ServerProcess] = []

    def factory(*extra: str, listen: str = "127.0.0.1:0") -> ServerProcess:
        server = start_server(tmp_path / "db.sqlite", *extra, listen=listen)
        started.append(server)
        return server

    yield factory
    for server in started:
        server.kill()


class _Flag:
    """Set by a signal; read by qtbot.waitUntil."""

    def __init__(self) -> None:
        self._set = False

    def set(self, *_args: object) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set


@pytest.fixture
def make_app(
    qtbot: QtBot, run: RunCoroutine, tmp_path: Path
) -> Iterator[Callable[..., Application]]:
    """Build the real Application against a server address; shut it down afterwards."""
    apps: list[Application] = []

    def factory(address: str, token: str = TEST_TOKEN) -> Application:
        token_file = tmp_path / f"token-{len(apps)}"
        token_file.write_text(token)  # as a user would: --token-file, never the token itself
        app = Application(AppOptions(server=address, token_file=str(token_file)))
        app.window.show()
        app.start()
        apps.append(app)
        qtbot.waitUntil(lambda: app.connection.state == ConnectionState.CONNECTED, timeout=15_000)
        qtbot.waitUntil(lambda: app.provision_panel.form.size_combo.count() > 0)
        return app

    yield factory
    for app in apps:
        run(app.shutdown())
        # Widgets go before the view-models whose models they show, as when the app quits.
        gone = _Flag()
        app.window.destroyed.connect(gone.set)
        app.window.close()
        app.window.deleteLater()
        qtbot.waitUntil(gone.is_set)
