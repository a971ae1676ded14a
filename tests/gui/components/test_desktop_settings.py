"""Settings that persist (theme, last panel, table columns and sort, graph range), the tray
notification of failed jobs, panel shortcuts and the shortcut sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.client.types import JobState
from clustergenie_gui.desktop_wiring import save_state
from clustergenie_gui.models.components.palette import DARK, LIGHT
from clustergenie_gui.models.job_table_model import JobTableModel
from clustergenie_gui.settings_store import Preferences
from tests.gui.conftest import OFFSCREEN_WARNING
from tests.gui.fakes import make_job

pytestmark = OFFSCREEN_WARNING
CTRL = Qt.KeyboardModifier.ControlModifier


def build(qtbot: QtBot) -> Application:
    app = Application(AppOptions(server="127.0.0.1:9"))  # never connected: nothing to wait on
    qtbot.addWidget(app.window)
    return app


def test_theme_panel_columns_sort_and_range_come_back(qtbot: QtBot, qloop: object) -> None:
    first = build(qtbot)
    assert first.theme is not None
    first.window.preferences_changed.emit(Preferences(theme="dark", notify_failed_jobs=False))
    assert first.theme.palette is DARK
    first.window.show_panel("Jobs")
    table = first.jobs_panel.data_table
    table.view.sortByColumn(JobTableModel.STATE, Qt.SortOrder.DescendingOrder)
    table.view.setColumnWidth(JobTableModel.TARGET, 222)
    first.scaling_panel.graph.range_picker.set_key("6h")
    first.store.save_graph_range("scaling", first.scaling_panel.graph.range_picker.key)
    save_state(first)

    second = build(qtbot)
    assert second.theme is not None
    assert second.theme.palette is DARK
    assert second.theme.choice == "dark"
    assert not second.notifier.enabled
    assert second.window.current_panel_title() == "Jobs"
    header = second.jobs_panel.data_table.view.horizontalHeader()
    assert header.sortIndicatorSection() == JobTableModel.STATE
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert header.sectionSize(JobTableModel.TARGET) == 222
    assert second.store.graph_range("scaling") == "6h"
    second.theme.set_choice("light")
    assert second.theme.palette is LIGHT


def test_a_job_that_fails_is_announced_unless_turned_off(qtbot: QtBot, qloop: object) -> None:
    app = build(qtbot)
    app.jobs.apply(make_job(7, JobState.FAILED))  # already failed when first seen: not news
    app.jobs.apply(make_job(8, JobState.RUNNING))
    assert app.notifier.shown == []
    app.jobs.apply(make_job(8, JobState.FAILED, error="disk quota exceeded", updated_at=None))
    assert app.notifier.shown == [
        ("Job #8 failed", "provision droplet of web-8: disk quota exceeded")
    ]
    app.notifier.set_enabled(False)
    app.jobs.apply(make_job(9, JobState.RUNNING))
    app.jobs.apply(make_job(9, JobState.FAILED, updated_at=None))
    assert len(app.notifier.shown) == 1


def test_ctrl_digits_switch_panels_and_f1_lists_the_shortcuts(qtbot: QtBot, qloop: object) -> None:
    app = build(qtbot)
    window = app.window
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for digit, title in zip("1234567", window.panel_titles(), strict=True):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key(ord(digit)), CTRL)
        assert window.current_panel_title() == title
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    sheet = window.shortcut_sheet
    assert sheet is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is sheet)
    texts = [label.text() for label in sheet.findChildren(type(window.connection_label))]
    assert "Ctrl+K  or  Ctrl+P" in texts
    qtbot.keyClick(QApplication.focusWidget() or sheet, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not sheet.isVisible())


def test_the_theme_is_chosen_in_settings(qtbot: QtBot, qloop: object) -> None:
    app = build(qtbot)
    assert app.theme is not None
    app.window.settings_action.trigger()  # File → Settings…
    dialog = app.window.settings_dialog
    assert dialog is not None
    assert dialog.theme_combo.currentData() == "system"
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.notify_check.setChecked(False)
    dialog.bundled_radio.setChecked(True)
    with qtbot.waitSignal(app.window.preferences_changed):
        dialog.ok_button.click()
    assert app.theme.palette is DARK
    assert not app.notifier.enabled
    assert app.store.preferences() == Preferences("dark", notify_failed_jobs=False)
    app.theme.set_choice("light")
