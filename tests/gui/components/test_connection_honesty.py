"""Connection honesty: a refused token is read again, actions are off while disconnected (and
say why), and no raw gRPC text becomes a message."""

from __future__ import annotations

from pathlib import Path

import grpc
import grpc.aio
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.auth_types import Identity, Role
from clustergenie_gui.desktop_wiring import credentials_reloader
from clustergenie_gui.server_choice import ServerChoice, load_credentials
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState, ConnectionViewModel
from clustergenie_gui.widgets.role_gate import RoleGate
from tests.gui.fakes import FakeClient


class TokenCheckingClient(FakeClient):
    """Accepts only the token `valid`, like a server restarted with a new one."""

    def __init__(self, valid: str) -> None:
        super().__init__()
        self.valid = valid

    async def who_am_i(self) -> Identity:
        self._record("who_am_i")
        if self.credentials.token != self.valid:
            raise ClientError("UNAUTHENTICATED", "The token is not valid on this server.")
        return self.identity


def test_a_refused_token_is_read_again_and_the_app_reconnects(
    qtbot: QtBot, qloop: object, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("old-token")
    choice = ServerChoice(bundled=False, address="127.0.0.1:5000", token_file=str(token_file))
    client = TokenCheckingClient(valid="new-token")
    connection = ConnectionViewModel(client, max_backoff=0.05)  # type: ignore[arg-type]
    connection.set_credentials_source(*credentials_reloader(choice))
    connection.connect_to(choice.address, load_credentials(choice))
    qtbot.waitUntil(lambda: "refused" in connection.message)
    assert connection.state == ConnectionState.DISCONNECTED
    # It says exactly what to do, naming the file.
    assert f"Put the server's current token in the token file {token_file}" in connection.message
    assert "re-reads" in connection.message
    token_file.write_text("new-token")  # the user (or a restarted server) puts the new one
    qtbot.waitUntil(lambda: connection.state == ConnectionState.CONNECTED)
    assert client.credentials.token == "new-token"
    assert connection.identity == client.identity


def test_actions_are_off_while_disconnected_and_say_why(qtbot: QtBot) -> None:
    panel = QWidget()
    qtbot.addWidget(panel)
    button = QPushButton("Reboot…")
    button.setToolTip("Reboot the selected droplets")
    QHBoxLayout(panel).addWidget(button)
    gate = RoleGate()
    gate.add(button, Role.OPERATOR)
    gate.set_identity(Identity("ops", Role.OPERATOR))
    assert button.isEnabled()
    gate.set_connection("disconnected", "Cannot reach the server at 127.0.0.1:5000; retrying…")
    assert not button.isEnabled()
    assert button.toolTip().startswith("Not connected to the server (Cannot reach the server")
    assert "comes back once the status bar says Connected" in button.toolTip()
    gate.set_connection("connected", "Connected to 127.0.0.1:5000")
    assert button.isEnabled()
    assert button.toolTip() == "Reboot the selected droplets"


def test_a_transport_failure_becomes_a_sentence() -> None:
    raw = "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: refused"
    error = ClientError.from_rpc(
        grpc.aio.AioRpcError(
            grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(), details=raw
        )
    )
    assert error.code == "UNAVAILABLE"
    assert "ipv4" not in error.message
    assert error.message.startswith("The server cannot be reached right now.")
    refusal = ClientError.from_rpc(
        grpc.aio.AioRpcError(
            grpc.StatusCode.NOT_FOUND,
            grpc.aio.Metadata(),
            grpc.aio.Metadata(),
            details="cluster 9 does not exist; see ListClusters",
        )
    )
    assert refusal.message == "cluster 9 does not exist; see ListClusters"
