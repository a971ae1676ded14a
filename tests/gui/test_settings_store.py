"""The app remembers the server chosen in File → Settings… (never its token) and its window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.server_choice import ServerChoice
from clustergenie_gui.settings_store import SettingsStore
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from tests.auth_support import TEST_TOKEN

from .conftest import OFFSCREEN_WARNING, RunCoroutine, ServerProcess

FAST = ("--time-scale", "20", "--failure-rate", "0")


def store_at(path: Path) -> SettingsStore:
    """A store in its own INI file (tests never touch the user's settings)."""
    return SettingsStore(QSettings(str(path), QSettings.Format.IniFormat))


def test_a_remote_choice_survives_a_restart_and_holds_no_token(tmp_path: Path) -> None:
    choice = ServerChoice(False, "db.example.net:50051", "/home/me/token", "/home/me/ca.pem")
    assert store_at(tmp_path / "s.ini").server_choice() is None  # nothing chosen yet

    store_at(tmp_path / "s.ini").save_server_choice(choice)

    assert store_at(tmp_path / "s.ini").server_choice() == choice
    assert TEST_TOKEN not in (tmp_path / "s.ini").read_text()
    store_at(tmp_path / "s.ini").save_server_choice(ServerChoice())
    assert store_at(tmp_path / "s.ini").server_choice() == ServerChoice()


def test_an_unusable_saved_address_falls_back_to_the_bundled_server(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("server/bundled", False)
    settings.setValue("server/address", "no port here")

    assert SettingsStore(settings).server_choice() is None


def test_window_geometry_round_trips(tmp_path: Path) -> None:
    store_at(tmp_path / "s.ini").save_window_geometry(QByteArray(b"\x01\x02geometry"))

    assert store_at(tmp_path / "s.ini").window_geometry() == QByteArray(b"\x01\x02geometry")


@OFFSCREEN_WARNING
def test_the_server_chosen_in_settings_is_used_at_the_next_launch(
    qtbot: QtBot,
    tmp_path: Path,
    run: RunCoroutine,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[..., Application],
) -> None:
    first, second = server_factory(*FAST), server_factory(*FAST)
    token_file = tmp_path / "token"
    token_file.write_text(TEST_TOKEN)
    app = make_app(first.address)
    app.store = store_at(tmp_path / "s.ini")

    app.window.settings_action.trigger()  # File → Settings…
    dialog = app.window.settings_dialog
    assert dialog is not None
    dialog.remote_radio.setChecked(True)
    dialog.address_edit.clear()
    qtbot.keyClicks(dialog.address_edit, second.address)
    dialog.token_file_edit.clear()
    qtbot.keyClicks(dialog.token_file_edit, str(token_file))
    dialog.ok_button.click()
    qtbot.waitUntil(
        lambda: app.window.address_label.text() == f"server {second.address}", timeout=15_000
    )

    # The next launch, without --server: straight to the server chosen last time.
    again = Application(AppOptions(), store_at(tmp_path / "s.ini"))
    try:
        assert again.choice == ServerChoice(False, second.address, str(token_file))
        again.start()
        qtbot.waitUntil(lambda: again.connection.state == ConnectionState.CONNECTED, timeout=15_000)
        assert not again.bundled.running
    finally:
        run(again.shutdown())
        again.window.deleteLater()


def test_the_command_line_wins_over_the_saved_server(tmp_path: Path) -> None:
    store = store_at(tmp_path / "s.ini")
    store.save_server_choice(ServerChoice(False, "saved.example:1"))

    app = Application(AppOptions(server="given.example:2"), store)
    try:
        assert app.choice.address == "given.example:2"
    finally:
        app.window.deleteLater()
