"""Keyboard only, against a real server: create a cluster, watch its jobs, scale it, inject a
fault, find a droplet with Ctrl+K, and have Delete ask before destroying it. No mouse."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.client.types import JobKind, JobState
from clustergenie_gui.widgets.faults_menu import InjectFaultDialog
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]

FAST = ("--time-scale", "30", "--failure-rate", "0")
CTRL = Qt.KeyboardModifier.ControlModifier


def focused(app: Application) -> QWidget:
    widget = QApplication.focusWidget()
    return widget if widget is not None else app.window


def press(
    qtbot: QtBot,
    app: Application,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """One key press, sent where the keyboard focus is (as the keyboard would)."""
    qtbot.keyClick(focused(app), key, modifier)


def type_text(qtbot: QtBot, app: Application, text: str) -> None:
    qtbot.keyClicks(focused(app), text)


def palette_run(qtbot: QtBot, app: Application, query: str) -> None:
    """Ctrl+K, type query, Enter."""
    press(qtbot, app, Qt.Key.Key_K, CTRL)
    palette = app.window.command_palette
    assert palette is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.query_edit)
    type_text(qtbot, app, query)
    press(qtbot, app, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: not palette.isVisible() and QApplication.activeWindow() not in (None, palette)
    )


def jobs_of(app: Application, kind: JobKind) -> list[JobState]:
    return [job.state for job in app.jobs.jobs.items() if job.kind == kind]


def test_keyboard_only_walk(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
) -> None:
    app = make_app(server_factory(*FAST).address)
    window = app.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    # Create a cluster: Ctrl+K "create cluster" puts the cursor in the form's name.
    palette_run(qtbot, app, "create cluster")
    assert window.current_panel_title() == "Provision"
    assert QApplication.focusWidget() is app.provision_panel.form.name_edit
    type_text(qtbot, app, "kbd")
    press(qtbot, app, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.provisioning.clusters.rowCount() == 1, timeout=10_000)
    # The action links to its jobs.
    qtbot.waitUntil(lambda: "3 job(s)" in app.provision_panel.job_link.text())
    assert "for kbd" in app.provision_panel.job_link.text()

    # Watch its jobs: Ctrl+5 is Jobs; "/" filters; they all succeed.
    press(qtbot, app, Qt.Key.Key_5, CTRL)
    assert window.current_panel_title() == "Jobs"
    press(qtbot, app, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is app.jobs_panel.data_table.filter_edit
    type_text(qtbot, app, "target:kbd")
    press(qtbot, app, Qt.Key.Key_Down)  # into the rows
    assert QApplication.focusWidget() is app.jobs_panel.table
    qtbot.waitUntil(
        lambda: jobs_of(app, JobKind.PROVISION_DROPLET) == [JobState.SUCCEEDED] * 3,
        timeout=30_000,
    )
    assert app.jobs_panel.data_table.proxy.rowCount() == 3
    press(qtbot, app, Qt.Key.Key_Home)
    job = app.jobs_panel.selected_job()
    assert job is not None
    assert "Done" in app.jobs_panel.detail_label.text()

    # Scale by hand: the count starts at the current 3; type 4, Enter (no policy: no question).
    palette_run(qtbot, app, "scale cluster by hand")
    spin = app.scaling_panel.scale_control.count_spin
    assert window.current_panel_title() == "Scaling"
    assert QApplication.focusWidget() is spin
    assert spin.value() == 3
    type_text(qtbot, app, "4")
    press(qtbot, app, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: jobs_of(app, JobKind.SCALE_CLUSTER) == [JobState.SUCCEEDED], timeout=30_000
    )
    qtbot.waitUntil(lambda: app.provisioning.droplets.rowCount() == 4, timeout=10_000)

    # Inject a fault: Ctrl+K "inject fault", then Enter injects with the dialog's defaults.
    palette_run(qtbot, app, "inject fault")
    dialog = app.faults_menu.dialog
    assert isinstance(dialog, InjectFaultDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    with qtbot.waitSignal(app.faults.fault_injected, timeout=10_000):
        press(qtbot, app, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.activateWindow()  # what a window manager does when a dialog closes (offscreen: none)
    qtbot.waitUntil(window.isActiveWindow)

    # Find the droplet with Ctrl+K: it opens in Provision, selected, with the focus on it.
    palette_run(qtbot, app, "kbd-2")
    assert window.current_panel_title() == "Provision"
    droplet = app.provision_panel.selected_droplet()
    assert droplet is not None
    assert droplet.name == "kbd-2"
    assert QApplication.focusWidget() is app.provision_panel.droplet_view

    # Delete asks first; Esc keeps the droplet.
    press(qtbot, app, Qt.Key.Key_Delete)
    box = app.provision_panel.confirm_box
    assert box is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    assert "kbd-2" in box.text()
    press(qtbot, app, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    window.activateWindow()  # as after the fault dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is app.provision_panel.droplet_view)
    assert app.provisioning.droplets.rowCount() == 4

    # Tab leaves the table instead of walking its cells.
    press(qtbot, app, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not app.provision_panel.droplet_view
