"""Ctrl+K reaches the Diagnose, Health and Logs panels' actions, and says when one is off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.models.components.command_registry import Command
from tests.gui.conftest import OFFSCREEN_WARNING

pytestmark = OFFSCREEN_WARNING


@pytest.fixture
def app(qtbot: QtBot, qloop: object) -> Iterator[Application]:
    """The whole window, never connected (so role-gated actions are off)."""
    application = Application(AppOptions(server="127.0.0.1:9"))
    application.window.show()
    application.window.activateWindow()
    qtbot.waitUntil(application.window.isActiveWindow)
    yield application
    application.window.close()
    application.window.deleteLater()


def best(app: Application, query: str) -> Command:
    matches = app.commands.search(query)
    assert matches, f"nothing matches {query!r}"
    return matches[0]


def test_diagnose_cluster_puts_the_cursor_in_the_question(app: Application, qtbot: QtBot) -> None:
    command = best(app, "diagnose cluster")
    assert command.title == "Diagnose cluster…"
    command.run()
    assert app.window.current_panel_title() == "Diagnose"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is app.diagnose_panel.question_edit)


def test_a_suggested_question_is_asked_from_the_palette(app: Application) -> None:
    command = best(app, "diagnose why is p95 high")
    assert command.title == "Diagnose: Why is p95 high?"
    command.run()
    assert app.window.current_panel_title() == "Diagnose"
    assert app.diagnose_panel.question_edit.text() == "Why is p95 high?"


def test_show_logs_opens_the_query_box(app: Application, qtbot: QtBot) -> None:
    best(app, "show logs").run()
    assert app.window.current_panel_title() == "Logs"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is app.logs_panel.query_box)


def test_adding_a_health_check_is_off_while_disconnected_and_says_why(app: Application) -> None:
    command = best(app, "add health check")
    assert command.title == "Add health check…"
    assert not command.enabled()  # the role gate holds the form off until connected
    assert "admin" in command.why_disabled
    assert not best(app, "run selected health check").enabled()


def test_logs_of_the_selection_says_what_to_select_first(app: Application) -> None:
    command = best(app, "logs of the selection")
    assert command.title == "Logs of the selection"
    assert command.shortcut == "Ctrl+L"
    app.window.show_panel("Provision")
    assert not command.enabled()  # nothing selected
    assert "Select a droplet" in command.why_disabled
