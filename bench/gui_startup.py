"""`python -m bench.gui_startup --since T ...`: one desktop start, timed from process start.

ours: the real app (clustergenie_gui.app's Application with its bundled server) to its first
painted frame and to `connected`. --reference: the same Qt/pyqtgraph/qasync/grpc imports, an
empty QMainWindow of the same size, and a bare grpc.aio server child (bench.reference_server)
reached over a grpc.aio channel. T is the bench's time.monotonic() just before it started this
process (CLOCK_MONOTONIC is one clock for every process of the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

import grpc
import qasync
from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication, QMainWindow

from bench.gui_probe import FirstPaint, child_rss_mb, report, rss_mb

WINDOW_SIZE = (1320, 820)  # MainWindow's own size
TIMEOUT_SECONDS = 60.0


def qt_application() -> QApplication:
    """The QApplication as clustergenie_gui.app.main sets it up."""
    app = QApplication(sys.argv[:1])
    app.setApplicationName("ClusterGenie")
    app.setOrganizationName("ClusterGenie")
    app.setStyle("Fusion")
    app.setQuitOnLastWindowClosed(False)
    return app


async def _until(condition: Callable[[], object], what: str) -> None:
    """Poll a condition on the loop (bench code: the app itself never polls)."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} within {TIMEOUT_SECONDS:g} s")
        await asyncio.sleep(0.005)


async def _ours(app: QApplication, since: float, server_args: list[str]) -> dict[str, object]:
    from clustergenie_gui.app import Application, parse_args

    application = Application(parse_args(["--log-level", "WARNING", *server_args]))
    first = FirstPaint(app, application.window)
    connected: list[float] = []

    def _on_connection_changed(state: str, _message: str) -> None:
        if state == "connected" and not connected:
            connected.append(time.monotonic())

    application.connection.connection_changed.connect(_on_connection_changed)
    running = asyncio.ensure_future(application.run())
    await _until(lambda: first.at is not None and connected, "first paint and connection")
    assert first.at is not None
    result: dict[str, object] = {
        "first_paint": first.at - since,
        "connected": connected[0] - since,
        "rss_gui": rss_mb(),
        "rss_server": child_rss_mb("clustergenie_server"),
    }
    application.window.close()
    await running
    return result


async def _reference(app: QApplication, since: float, canned: Path) -> dict[str, object]:
    # The imports the app had before it deferred pyqtgraph (kept so that the floor stays
    # comparable across runs); imported here so that the app's own starts do not pay for it.
    import pyqtgraph  # noqa: F401

    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    first = FirstPaint(app, window)
    window.show()
    server = QProcess()
    server.start(sys.executable, ["-m", "bench.reference_server", "--canned", str(canned)])
    output = b""
    while b"\n" not in output:
        await _until(
            lambda: (
                server.bytesAvailable() > 0 or server.state() == QProcess.ProcessState.NotRunning
            ),
            "reference server output",
        )
        if server.state() == QProcess.ProcessState.NotRunning and not server.bytesAvailable():
            raise RuntimeError("the reference server exited before it was ready")
        output += bytes(server.readAllStandardOutput().data())
    address = output.decode().split()[1]
    async with grpc.aio.insecure_channel(address) as channel:
        await asyncio.wait_for(channel.channel_ready(), TIMEOUT_SECONDS)
        connected = time.monotonic()
        await _until(lambda: first.at is not None, "first paint")
        assert first.at is not None
        result: dict[str, object] = {
            "first_paint": first.at - since,
            "connected": connected - since,
            "rss_gui": rss_mb(),
            "rss_server": child_rss_mb("bench.reference_server"),
        }
    server.closeWriteChannel()  # it exits when its stdin closes
    if not server.waitForFinished(5000):
        server.kill()
        server.waitForFinished(5000)
    window.close()
    return result


def main(argv: list[str] | None = None) -> int:
    """Run one start, print the result line."""
    parser = argparse.ArgumentParser(prog="bench.gui_startup")
    parser.add_argument("--since", type=float, required=True, help="time.monotonic() at launch")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--canned", type=Path, help="reference: canned messages directory")
    args, server_args = parser.parse_known_args(argv)
    app = qt_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        if args.reference:
            result = loop.run_until_complete(_reference(app, args.since, args.canned))
        else:
            result = loop.run_until_complete(_ours(app, args.since, server_args))
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
