"""The GUI asks who it is and disables what its role cannot do; refusals show where one acted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.client.auth_types import Credentials, Identity, Role
from clustergenie_gui.server_choice import CredentialsError, ServerChoice, load_credentials
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.widgets.faults_menu import ActiveFaultsDialog
from clustergenie_gui.widgets.role_gate import RoleGate
from clustergenie_gui.widgets.settings_dialog import SettingsDialog
from tests.auth_support import ROLE_TOKENS, write_tokens_file
from tests.gui.conftest import OFFSCREEN_WARNING, RunCoroutine, ServerProcess

FAST = ("--time-scale", "20", "--failure-rate", "0")


def operator_widgets(app: Application) -> list[QWidget]:
    """The buttons an operator may use and a viewer may not."""
    provision, scale = app.provision_panel, app.scaling_panel.scale_control
    return [
        provision.form.create_button,
        provision.add_button,
        provision.delete_button,
        *provision.action_buttons.values(),
        app.jobs_panel.cancel_button,
        app.jobs_panel.retry_button,
        scale.scale_button,
    ]


@pytest.mark.slow
@OFFSCREEN_WARNING
def test_a_viewer_sees_actions_disabled_with_the_role_needed(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[..., Application],
    tmp_path: Path,
) -> None:
    tokens = write_tokens_file(tmp_path / "tokens")
    app = make_app(
        server_factory(*FAST, "--tokens-file", str(tokens)).address, token=ROLE_TOKENS["viewer"]
    )
    qtbot.waitUntil(lambda: app.connection.identity is not None)
    assert app.connection.identity == Identity("viewer", Role.VIEWER)
    assert app.window.identity_label.text() == "viewer (viewer)"
    app.window.show_panel("Provision")
    for widget in operator_widgets(app):
        assert not widget.isEnabled(), widget.objectName()
        assert widget.toolTip().startswith("Needs the operator role"), widget.toolTip()
    editor = app.scaling_panel.editor
    assert not editor.save_button.isEnabled()
    assert "Needs the admin role" in editor.save_button.toolTip()
    assert not editor.target_spin.isEnabled()  # every input of the policy, not just Save
    assert not editor.rate_limits.isEnabled()
    assert not app.faults_menu.inject_action.isEnabled()
    # Reading still works: the catalog filled the form (make_app waited for it).
    assert app.provision_panel.form.size_combo.count() > 0

    # A refusal from the server (the button is disabled, so the view-model is called as a
    # button would) shows its message where the user acted, like any other error.
    form = app.provision_panel.form
    app.provisioning.create_cluster("nope", "nyc1", "s-1vcpu-1gb", "ubuntu-24-04-x64", 1, [])
    qtbot.waitUntil(lambda: not form.error_label.isHidden(), timeout=10_000)
    assert "CreateCluster needs the operator role" in form.error_label.text()


@pytest.mark.slow
@OFFSCREEN_WARNING
def test_an_operator_may_act_but_not_change_policies(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[..., Application],
    tmp_path: Path,
) -> None:
    tokens = write_tokens_file(tmp_path / "tokens")
    app = make_app(
        server_factory(*FAST, "--tokens-file", str(tokens)).address, token=ROLE_TOKENS["operator"]
    )
    qtbot.waitUntil(lambda: app.connection.identity == Identity("operator", Role.OPERATOR))
    assert app.provision_panel.form.create_button.isEnabled()
    assert not app.faults_menu.inject_action.isEnabled()
    assert "Needs the admin role" in app.faults_menu.inject_action.toolTip()
    app.faults_menu.list_action.trigger()  # Faults → Active faults…: listing is allowed
    dialog = app.faults_menu.dialog
    assert isinstance(dialog, ActiveFaultsDialog)
    assert not dialog.clear_button.isEnabled()
    assert dialog.clear_button.toolTip().startswith("Needs the admin role")
    app.faults_menu.list_action.trigger()  # a second dialog replaces the first one
    qtbot.waitUntil(lambda: not shiboken_valid(dialog))
    app.role_gate.set_identity(Identity("operator", Role.OPERATOR))  # nothing stale is touched
    assert isinstance(app.faults_menu.dialog, ActiveFaultsDialog)
    assert not app.faults_menu.dialog.clear_button.isEnabled()


def shiboken_valid(widget: QWidget) -> bool:
    """Whether the C++ side of widget still exists."""
    return bool(shiboken6.isValid(widget))


@pytest.mark.slow
@OFFSCREEN_WARNING
def test_a_wrong_token_is_reported_in_the_status_bar(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    tmp_path: Path,
    run: RunCoroutine,
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("wrong-token-0123456789abcdef")
    server = server_factory(*FAST)
    app = Application(AppOptions(server=server.address, token_file=str(token_file)))
    app.window.show()
    app.start()
    qtbot.waitUntil(lambda: "refused" in app.window.connection_label.text(), timeout=15_000)
    assert app.connection.state == ConnectionState.DISCONNECTED
    assert "token is not valid" in app.window.connection_label.text()
    run(app.shutdown())
    app.window.deleteLater()


def test_the_gate_keeps_the_panels_own_state(qtbot: QtBot) -> None:
    panel = QWidget()
    qtbot.addWidget(panel)
    button = QPushButton("Act")
    button.setToolTip("Do it")
    QHBoxLayout(panel).addWidget(button)
    gate = RoleGate()
    gate.add(button, Role.OPERATOR)
    assert button.isEnabled()  # identity unknown: the server decides
    gate.set_identity(Identity("v", Role.VIEWER))
    button.setEnabled(True)  # the panel's own logic, e.g. a droplet got selected
    assert not button.isEnabled()
    assert button.toolTip() == "Needs the operator role; your token (v) has the viewer role."
    button.setEnabled(False)  # the panel disables it meanwhile
    gate.set_identity(Identity("o", Role.OPERATOR))
    assert not button.isEnabled()  # still the panel's choice
    assert button.toolTip() == "Do it"
    button.setEnabled(True)
    assert button.isEnabled()


def test_settings_take_a_token_file_and_a_ca_not_a_token(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(ServerChoice())
    qtbot.addWidget(dialog)
    assert not dialog.token_file_edit.isEnabled()  # bundled: the app has its own token
    dialog.remote_radio.setChecked(True)
    qtbot.keyClicks(dialog.address_edit, "10.0.0.5:50051")
    qtbot.keyClicks(dialog.token_file_edit, str(tmp_path / "missing"))
    dialog.ok_button.click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert f"The token file {tmp_path / 'missing'} cannot be read." == dialog.error_label.text()
    token, ca = tmp_path / "token", tmp_path / "ca.pem"
    token.write_text("from-a-file-0123456789abcdef\n")
    ca.write_bytes(b"PEM")
    dialog.token_file_edit.setText(str(token))
    qtbot.keyClicks(dialog.tls_ca_edit, str(ca))
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    choice = dialog.choice()
    assert choice == ServerChoice(False, "10.0.0.5:50051", str(token), str(ca))
    credentials = load_credentials(choice, environ={"CLUSTERGENIE_TOKEN": "from-env-0123456789"})
    assert (credentials.token, credentials.ca_pem) == ("from-a-file-0123456789abcdef", b"PEM")
    assert "from-a-file" not in repr(credentials)


def test_without_a_token_file_the_environment_gives_the_token(tmp_path: Path) -> None:
    choice = ServerChoice(bundled=False, address="h:1")
    env = {"CLUSTERGENIE_TOKEN": "from-env-0123456789"}
    assert load_credentials(choice, environ=env) == Credentials("from-env-0123456789")
    empty = tmp_path / "empty"
    empty.write_text("")
    with pytest.raises(CredentialsError, match="is empty"):
        load_credentials(ServerChoice(False, "h:1", str(empty)), environ=env)
