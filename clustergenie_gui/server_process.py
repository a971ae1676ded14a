"""BundledServer: runs the headless server as a child process with QProcess, never blocking."""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from clustergenie_gui.client import bundled_discovery

log = logging.getLogger(__name__)

READY_PREFIX = "CLUSTERGENIE_READY "
TOKEN_PREFIX = "CLUSTERGENIE_TOKEN "  # the child's fresh admin token, just before READY
# Tokens meant for other servers: the child issues its own (--issue-token) and needs none.
_TOKEN_ENV = ("CLUSTERGENIE_TOKEN", "CLUSTERGENIE_TOKENS_FILE")


def server_command() -> tuple[str, list[str]]:
    """The program and leading arguments that start the bundled server.

    From source or a wheel: this Python with `-m clustergenie_server`. In the packaged app
    (PyInstaller sets sys.frozen) the server is its own executable beside this one.
    """
    if getattr(sys, "frozen", False):
        return str(Path(sys.executable).with_name("clustergenie-server")), []
    return sys.executable, ["-m", "clustergenie_server"]


class BundledServer(QObject):
    """Starts `python -m clustergenie_server`, reports its address, and stops it gracefully.

    The child generates a fresh admin token per launch and writes it on its stdout pipe, which
    only this process reads: it is never on a command line, in the environment or in a log.
    Once ready, its address and token are published for this OS user alone (a 0600 file in the
    user's runtime directory, see client.bundled_discovery) so `clustergenie-ctl` can reach it;
    the file is removed when the server stops.

    Signals:
        ready(str): the server printed its READY line; carries host:port (`token` is set).
        failed(str): it could not start or exited unexpectedly; carries a message with the
            tail of its stderr.
        stopped(): it exited after stop() (or was not running).
    """

    ready = Signal(str)
    failed = Signal(str)
    stopped = Signal()

    def __init__(
        self,
        extra_args: Sequence[str] = (),
        listen: str = "127.0.0.1:0",
        program: str = "",
        startup_timeout_ms: int = 30_000,
        stop_grace_ms: int = 3_000,
        discovery_file: Path | None = None,
        publish: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._discovery_file = discovery_file  # None: the user's runtime dir
        self._publish = publish
        default_program, prefix = server_command()
        self._arguments = [
            *(prefix if not program else ["-m", "clustergenie_server"]),
            "--listen", listen, "--exit-with-stdin", "--issue-token", *extra_args,
        ]  # fmt: skip
        self._program = program or default_program
        self._address = ""
        self._token = ""
        self._stdout_buffer = ""
        self._stderr_tail: deque[str] = deque(maxlen=20)
        self._stopping = False
        self._process: QProcess | None = None
        self._startup_timer = self._single_shot(startup_timeout_ms, self._on_startup_timeout)
        self._terminate_timer = self._single_shot(stop_grace_ms, self._on_terminate_timeout)
        self._kill_timer = self._single_shot(stop_grace_ms, self._on_kill_timeout)

    def _single_shot(self, interval_ms: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    @property
    def address(self) -> str:
        """host:port once ready, else ""."""
        return self._address

    @property
    def token(self) -> str:
        """The admin token of the running child once ready, else ""."""
        return self._token

    @property
    def running(self) -> bool:
        """True while the child process exists."""
        return (
            self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning
        )

    @property
    def stderr_tail(self) -> str:
        """The last lines the server wrote to stderr."""
        return "\n".join(self._stderr_tail)

    def start(self) -> None:
        """Start the child process; ready or failed follows."""
        if self.running:
            return
        self._address, self._token, self._stdout_buffer, self._stopping = "", "", "", False
        self._stderr_tail.clear()
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("PYTHONUNBUFFERED", "1")  # the READY line must not sit in a buffer
        for name in _TOKEN_ENV:
            environment.remove(name)
        process.setProcessEnvironment(environment)
        process.readyReadStandardOutput.connect(self._on_stdout)
        process.readyReadStandardError.connect(self._on_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        log.info("starting bundled server: %s %s", self._program, " ".join(self._arguments))
        process.start(self._program, self._arguments)
        self._startup_timer.start()

    def stop(self) -> None:
        """Close its stdin (it exits by itself), then terminate, then kill; stopped follows."""
        if not self.running:
            self.stopped.emit()
            return
        assert self._process is not None
        self._stopping = True
        self._startup_timer.stop()
        self._process.closeWriteChannel()
        self._terminate_timer.start()

    def _on_terminate_timeout(self) -> None:
        if self.running and self._process is not None:
            log.warning("bundled server did not exit when stdin closed; terminating it")
            self._process.terminate()
            self._kill_timer.start()

    def _on_kill_timeout(self) -> None:
        if self.running and self._process is not None:
            log.warning("bundled server ignored SIGTERM; killing it")
            self._process.kill()

    def _on_startup_timeout(self) -> None:
        if not self._address and self.running:
            self.failed.emit(
                "The bundled server did not become ready in time." + self._tail_suffix()
            )
            self.stop()

    def _on_stdout(self) -> None:
        assert self._process is not None
        self._stdout_buffer += bytes(self._process.readAllStandardOutput().data()).decode(
            "utf-8", "replace"
        )
        *lines, self._stdout_buffer = self._stdout_buffer.split("\n")
        for line in lines:
            line = line.strip()
            if line.startswith(TOKEN_PREFIX) and not self._address:
                self._token = line.removeprefix(TOKEN_PREFIX).strip()  # never logged
            elif line.startswith(READY_PREFIX) and not self._address:
                self._address = line.removeprefix(READY_PREFIX).strip()
                self._startup_timer.stop()
                log.info("bundled server ready at %s", self._address)
                self._publish_endpoint()
                self.ready.emit(self._address)

    def _on_stderr(self) -> None:
        assert self._process is not None
        text = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip():
                self._stderr_tail.append(line)

    def _publish_endpoint(self) -> None:
        if not self._publish:
            return
        endpoint = bundled_discovery.BundledEndpoint(self._address, self._token, os.getpid())
        try:
            path = bundled_discovery.publish(endpoint, self._discovery_file)
        except (OSError, bundled_discovery.DiscoveryError) as exc:
            log.warning("clustergenie-ctl will not find the bundled server: %s", exc)
        else:
            log.info("bundled server published for clustergenie-ctl in %s", path)

    def _withdraw_endpoint(self) -> None:
        if self._publish:
            try:
                bundled_discovery.withdraw(os.getpid(), self._discovery_file)
            except OSError as exc:
                log.warning("could not remove the bundled server's discovery file: %s", exc)

    def _on_finished(self, exit_code: int, _status: QProcess.ExitStatus) -> None:
        self._withdraw_endpoint()
        self._startup_timer.stop()
        self._terminate_timer.stop()
        self._kill_timer.stop()
        if self._stopping:
            log.info("bundled server stopped (exit code %s)", exit_code)
            self.stopped.emit()
        elif not self._address:
            self.failed.emit(
                f"The bundled server exited with code {exit_code} before it was ready."
                + self._tail_suffix()
            )
        else:
            self.failed.emit(
                f"The bundled server stopped unexpectedly (exit code {exit_code})."
                + self._tail_suffix()
            )
        self._address = self._token = ""

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._startup_timer.stop()
            self.failed.emit(f"Could not start the bundled server with {self._program}.")

    def _tail_suffix(self) -> str:
        tail = self.stderr_tail
        return f"\n\nLast lines of its log:\n{tail}" if tail else ""
