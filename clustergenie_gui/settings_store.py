"""What the app remembers between launches: the server it talks to and its window (QSettings).

Never a token: a remote server's token stays in the file the user named (or the environment).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from clustergenie_gui.server_choice import ServerChoice, address_problem

_SERVER = "server"


class SettingsStore:
    """Typed access to the app's QSettings (the platform's usual place, e.g. ~/.config)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings("ClusterGenie", "ClusterGenie")

    def server_choice(self) -> ServerChoice | None:
        """The server chosen last time, or None (never chosen, or unreadable: start bundled)."""
        s = self._settings
        if s.value(f"{_SERVER}/bundled") is None:
            return None
        if _flag(s.value(f"{_SERVER}/bundled")):
            return ServerChoice()
        address = str(s.value(f"{_SERVER}/address", ""))
        if address_problem(address):
            return None
        return ServerChoice(
            bundled=False,
            address=address,
            token_file=str(s.value(f"{_SERVER}/token_file", "")),
            tls_ca=str(s.value(f"{_SERVER}/tls_ca", "")),
        )

    def save_server_choice(self, choice: ServerChoice) -> None:
        """Remember the server for the next launch."""
        s = self._settings
        s.setValue(f"{_SERVER}/bundled", choice.bundled)
        s.setValue(f"{_SERVER}/address", choice.address)
        s.setValue(f"{_SERVER}/token_file", choice.token_file)
        s.setValue(f"{_SERVER}/tls_ca", choice.tls_ca)
        s.sync()

    def window_geometry(self) -> QByteArray | None:
        """The main window's saved geometry, if any."""
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window_geometry(self, geometry: QByteArray) -> None:
        """Remember where the main window was and how big."""
        self._settings.setValue("window/geometry", geometry)
        self._settings.sync()


def _flag(value: object) -> bool:
    # The INI backend hands booleans back as the strings "true"/"false".
    return value is True or str(value).lower() == "true"
