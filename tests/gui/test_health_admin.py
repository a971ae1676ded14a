"""Against a real server: an HTTP check's request through the form, its refusals under the
field; maintenance windows (and their shading on the latency graph); notification channels and
their delivery log; and a viewer who gets none of the admin actions."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QToolButton, QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.client.auth_types import Identity, Role
from clustergenie_gui.widgets.channels_dialog import ChannelsDialog
from clustergenie_gui.widgets.health_check_form import CheckFormWidget
from clustergenie_gui.widgets.health_panel import SPAN_KIND
from clustergenie_gui.widgets.maintenance_dialog import EVERYTHING
from clustergenie_server.api.v1 import health_pb2 as pb
from clustergenie_server.api.v1 import health_pb2_grpc
from tests.auth_support import ROLE_TOKENS, authed_channel, write_tokens_file
from tests.gui.conftest import OFFSCREEN_WARNING, RunCoroutine, ServerProcess
from tests.gui.test_flows import FAST

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]

CLOSED = "http://127.0.0.1:9/health"  # the discard port: nothing listens, refused at once


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Click into a field and type, as a user does (Return between lines)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)


def address_check(qtbot: QtBot, form: CheckFormWidget, name: str, address: str = CLOSED) -> None:
    """Fill the form for an HTTP check of a real address (nothing is submitted)."""
    form.name.clear()
    type_into(qtbot, form.name, name)
    form.target_kind.setCurrentText("address")
    form.address.clear()
    type_into(qtbot, form.address, address)
    form.interval.setValue(1.0)
    form.timeout.setValue(0.5)
    form.conditions.setText("[STATUS] == 200")


def get_check(run: RunCoroutine, address: str, check_id: int) -> pb.HealthCheck:
    """The check as the server stores it (GetCheck on a channel of our own)."""

    async def read() -> pb.HealthCheck:
        channel = authed_channel(address)
        try:
            stub = health_pb2_grpc.HealthCheckServiceStub(channel)
            return await stub.GetCheck(pb.GetCheckRequest(check_id=check_id), timeout=10)
        finally:
            await channel.close(None)

    return run(read())


def test_an_http_checks_request_goes_through_the_form_and_refusals_keep_what_was_typed(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: RunCoroutine,
) -> None:
    server = server_factory(*FAST)
    app = make_app(server.address)
    app.window.show_panel("Health")
    form = app.health_panel.form
    # The request's fields are for HTTP checks only.
    form.kind.setCurrentText("tcp")
    assert not form.method.isVisibleTo(form)
    assert not form.headers.isVisibleTo(form)
    form.kind.setCurrentText("http")
    assert form.method.isVisibleTo(form)
    assert form.status_row.isVisibleTo(form)

    address_check(qtbot, form, "api-post")
    form.method.setCurrentText("POST")
    type_into(qtbot, form.headers, "X-Probe: clustergenie\nBad Header: 1")
    type_into(qtbot, form.body, '{"ping": 1}')
    qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    headers_error = form.error_for("headers")
    qtbot.waitUntil(headers_error.isVisible, timeout=10_000)
    assert headers_error.text() == "http.headers: 'Bad Header' is not a valid header"
    assert form.headers.toPlainText() == "X-Probe: clustergenie\nBad Header: 1"
    assert form.body.toPlainText() == '{"ping": 1}'
    assert form.method.currentText() == "POST"
    assert not form.error.isVisible()  # the message is by its field, not at the bottom

    # Fixing the field clears its error; a range upside down is the next refusal.
    form.headers.setPlainText("X-Probe: clustergenie")
    assert not headers_error.isVisible()
    form.status_min.setValue(300)
    form.status_max.setValue(200)
    qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    status_error = form.error_for("status_row")
    qtbot.waitUntil(status_error.isVisible, timeout=10_000)
    assert "300-200 is not a status range" in status_error.text()
    assert form.headers.toPlainText() == "X-Probe: clustergenie"
    assert form.body.toPlainText() == '{"ping": 1}'

    form.status_min.setValue(200)
    form.status_max.setValue(299)
    qtbot.keyClick(form.follow_redirects, Qt.Key.Key_Space)  # off
    assert not form.follow_redirects.isChecked()
    with qtbot.waitSignal(app.health.check_created, timeout=10_000) as created:
        qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    assert not status_error.isVisible()
    stored = get_check(run, server.address, int(created.args[0]))
    assert stored.http.method == "POST"
    assert [(h.name, h.value) for h in stored.http.headers] == [("X-Probe", "clustergenie")]
    assert stored.http.body == '{"ping": 1}'
    assert (stored.http.status_min, stored.http.status_max) == (200, 299)
    assert stored.http.follow_redirects is False

    # Editing shows the stored request; a change is saved over it.
    form.start_new()
    form.method.setCurrentText("GET")
    form.headers.clear()
    with qtbot.waitSignal(app.health.check_loaded, timeout=10_000):
        app.health.load_check(int(created.args[0]))
    assert form.method.currentText() == "POST"
    assert form.headers.toPlainText() == "X-Probe: clustergenie"
    assert not form.follow_redirects.isChecked()
    form.headers.appendPlainText("Accept: application/json")
    with qtbot.waitSignal(app.health.check_changed, timeout=10_000):
        qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    stored = get_check(run, server.address, int(created.args[0]))
    assert [h.name for h in stored.http.headers] == ["X-Probe", "Accept"]
    assert stored.http.body == '{"ping": 1}'


def test_a_maintenance_window_from_the_dialog_is_listed_and_shaded_on_the_graph(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    app.window.show_panel("Health")
    panel, form = app.health_panel, app.health_panel.form
    address_check(qtbot, form, "closed-port")
    with qtbot.waitSignal(app.health.check_created, timeout=10_000):
        qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.grid.topLevelItemCount() == 1, timeout=10_000)
    group = panel.grid.topLevelItem(0)
    assert group is not None
    row = group.child(0)
    assert row is not None
    with qtbot.waitSignal(app.health.uptime_loaded, timeout=10_000):
        panel.grid.setCurrentItem(row)
    assert "0 maintenance span(s)" in panel.details.text()

    # The panel's Maintenance… button opens the dialog (the menu's action, admin only).
    buttons = [b for b in panel.findChildren(QToolButton) if b.text() == "Maintenance…"]
    assert len(buttons) == 1
    assert buttons[0].isEnabled()
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    dialog = app.health_menu.maintenance_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: "No maintenance windows." in dialog.list.topLevelItem(0).text(0))  # type: ignore[union-attr]
    started = QDateTime.currentDateTime().addSecs(-600)
    dialog.starts.setDateTime(started)
    dialog.ends.setDateTime(started.addSecs(3600))
    type_into(qtbot, dialog.description, "kernel upgrades")
    assert dialog.hint.text().startswith("once, until ")
    with qtbot.waitSignal(app.health.uptime_loaded, timeout=10_000):  # the graph re-reads
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.rows()) == 1, timeout=10_000)
    cluster, starts, lasts, repeats, description = dialog.rows()[0]
    assert (cluster, lasts, description) == (EVERYTHING, "1 h 00 min", "kernel upgrades")
    assert starts == started.toString("yyyy-MM-dd HH:mm")
    assert repeats.startswith("once, until ")
    # The selected target's graph shades the window up to now (grey, under the curve).
    shaded = [s for s in panel.graph.spans if s.data(SPAN_KIND) == "maintenance"]
    assert len(shaded) == 1
    low, high = shaded[0].getRegion()
    now = time.time()
    assert low < now - 30  # from the series' start (the window began 10 min ago)
    assert now - 30 < high <= now + 5  # to now
    assert "1 maintenance span(s)" in panel.details.text()

    # A weekly window at a time for a duration; then delete the one-off one.
    dialog.repeats.setCurrentIndex(dialog.repeats.findData("weekly"))
    assert not dialog.ends.isVisibleTo(dialog)
    assert dialog.lasts.isVisibleTo(dialog)
    dialog.lasts.setValue(30)
    weekday = started.toString("dddd")
    assert dialog.hint.text() == f"every {weekday} at {started.toString('HH:mm')}, for 30 min"
    with qtbot.waitSignal(app.health_admin.window_added, timeout=10_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.rows()) == 2, timeout=10_000)
    assert {r[3] for r in dialog.rows()} >= {f"every {weekday} at {started.toString('HH:mm')}"}
    first = dialog.list.topLevelItem(0)
    assert first is not None
    dialog.list.setCurrentItem(first)
    assert dialog.delete_button.isEnabled()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.rows()) == 1, timeout=10_000)


def test_a_webhook_channel_is_listed_and_its_failed_deliveries_are_logged(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    app.window.show_panel("Health")
    app.health_menu.channels_action.trigger()
    dialog = app.health_menu.channels_dialog
    assert isinstance(dialog, ChannelsDialog)
    qtbot.waitUntil(dialog.isVisible)
    type_into(qtbot, dialog.name, "on-call")
    type_into(qtbot, dialog.url, "ftp://hooks.example.com")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    url_error = dialog.errors.label("url")
    qtbot.waitUntil(url_error.isVisible, timeout=10_000)
    assert "is not an http(s) URL; a webhook needs one" in url_error.text()
    assert dialog.name.text() == "on-call"
    dialog.url.clear()
    type_into(qtbot, dialog.url, "http://127.0.0.1:9/hook")  # nothing listens: it fails
    with qtbot.waitSignal(app.health_admin.channel_added, timeout=10_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.channel_rows()) == 1, timeout=10_000)
    assert dialog.channel_rows()[0] == ["on-call", "webhook", "http://127.0.0.1:9/hook", "none"]
    assert not url_error.isVisible()

    # A check that fails at once opens an alert; the webhook's attempts are in the log.
    form = app.health_panel.form
    address_check(qtbot, form, "closed-port")
    form.failures.setValue(1)
    with qtbot.waitSignal(app.health.check_created, timeout=10_000):
        qtbot.mouseClick(form.add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "opened:" in app.window.statusBar().currentMessage(), timeout=20_000)
    deadline = time.monotonic() + 20
    while not dialog.delivery_rows() and time.monotonic() < deadline:
        with qtbot.waitSignal(app.health_admin.deliveries_changed, timeout=10_000):
            qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    rows = dialog.delivery_rows()
    assert rows, "no delivery was logged"
    _when, alert, channel, event, _attempts, delivered, error = rows[-1]
    assert (channel, event, delivered) == ("on-call", "opened", "no")
    assert "closed-port" in alert
    assert error
    assert dialog.alert.count() == 2  # every alert, and this one

    # Deleting the channel lists none.
    first = dialog.list.topLevelItem(0)
    assert first is not None
    dialog.list.setCurrentItem(first)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.channel_rows() == [], timeout=10_000)


def test_a_viewer_gets_none_of_the_health_admin_actions(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[..., Application],
    tmp_path: Path,
) -> None:
    tokens = write_tokens_file(tmp_path / "tokens")
    app = make_app(
        server_factory(*FAST, "--tokens-file", str(tokens)).address, token=ROLE_TOKENS["viewer"]
    )
    qtbot.waitUntil(lambda: app.connection.identity == Identity("viewer", Role.VIEWER))
    app.window.show_panel("Health")
    menu, panel = app.health_menu, app.health_panel
    for action in (menu.maintenance_action, menu.channels_action):
        assert not action.isEnabled()
        assert action.toolTip().startswith("Needs the admin role"), action.toolTip()
    buttons = [b for b in panel.findChildren(QToolButton) if b.defaultAction() is not None]
    assert {b.text() for b in buttons} == {"Maintenance…", "Channels…"}
    assert not any(b.isEnabled() for b in buttons)
    assert not panel.form.isEnabled()
    assert not panel.form.headers.isEnabled()
