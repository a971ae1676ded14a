"""File → Audit log…: an admin sees who did what; other roles cannot open it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.client import ClientError
from clustergenie_gui.client.auth_types import AuditEntry, Identity, Role
from clustergenie_gui.models.audit_table_model import AuditTableModel
from clustergenie_gui.viewmodels.audit_viewmodel import AuditViewModel
from clustergenie_gui.widgets.audit_dialog import AuditLogDialog
from tests.auth_support import ROLE_TOKENS, write_tokens_file
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess
from tests.gui.test_flows import FAST, column, fill_and_create


@OFFSCREEN_WARNING
def test_an_admin_sees_who_did_what_and_filters_it(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[..., Application],
    tmp_path: Path,
) -> None:
    tokens = write_tokens_file(tmp_path / "tokens")
    address = server_factory(*FAST, "--tokens-file", str(tokens)).address
    operator = make_app(address, token=ROLE_TOKENS["operator"])
    fill_and_create(qtbot, operator, "audited", 1)
    form = operator.provision_panel.form
    qtbot.waitUntil(lambda: operator.provisioning.clusters.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(form.create_button.isEnabled)  # the reply is in, as a user would wait
    fill_and_create(qtbot, operator, "audited", 1)  # the name is taken: refused
    qtbot.waitUntil(lambda: form.error_for("name").isVisibleTo(operator.window), timeout=10_000)
    assert not operator.window.audit_action.isEnabled()  # operators may not read the log

    admin = make_app(address, token=ROLE_TOKENS["admin"])
    qtbot.waitUntil(lambda: admin.connection.identity == Identity("admin", Role.ADMIN))
    assert admin.window.audit_action.isEnabled()
    admin.window.audit_action.trigger()  # File → Audit log…
    dialog = admin.audit_dialog
    assert dialog is not None
    assert dialog.isVisible()
    entries = admin.audit.entries
    qtbot.waitUntil(lambda: entries.rowCount() == 2, timeout=10_000)
    assert column(entries, AuditTableModel.METHOD) == ["CreateCluster", "CreateCluster"]
    assert column(entries, AuditTableModel.OUTCOME) == ["ALREADY_EXISTS", "OK"]  # newest first
    assert column(entries, AuditTableModel.CALLER) == ["operator", "operator"]
    assert "name=audited" in column(entries, AuditTableModel.TARGETS)[0]

    # Only one caller's calls: nobody else acted, so a name that does not exist shows none.
    qtbot.keyClicks(dialog.caller_edit, "viewer")
    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: entries.rowCount() == 0, timeout=10_000)
    assert dialog.count_label.text() == "0 entries, newest first."
    dialog.caller_edit.clear()
    qtbot.keyClicks(dialog.method_edit, "CreateCluster")
    qtbot.keyClick(dialog.method_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: entries.rowCount() == 2, timeout=10_000)
    assert dialog.error_label.isHidden()


class RefusingClient:
    """Answers ListAuditEntries as a server does for a token that lost the admin role."""

    async def list_audit_entries(
        self, *, limit: int = 200, method: str = "", caller: str = ""
    ) -> list[AuditEntry]:
        raise ClientError("PERMISSION_DENIED", "ListAuditEntries needs the admin role")


@OFFSCREEN_WARNING
def test_a_refusal_shows_in_the_dialog(qtbot: QtBot, qloop: object) -> None:
    audit = AuditViewModel(RefusingClient())
    dialog = AuditLogDialog(audit)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog))
    assert "needs the admin role" in dialog.error_label.text()
    assert dialog.load_button.isEnabled()  # ready to try again
