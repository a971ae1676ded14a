"""What the app remembers between launches (QSettings): the server, the window, the last
panel, the theme and notification choice, each table's columns and sort, graph ranges.

Never a token: a remote server's token stays in the file the user named (or the environment).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

from clustergenie_gui.server_choice import ServerChoice, address_problem

_SERVER = "server"


@dataclass(frozen=True, slots=True)
class Preferences:
    """Choices made in Settings besides the server."""

    theme: str = "system"  # "system", "light" or "dark"
    notify_failed_jobs: bool = True  # a tray notification when a job fails


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

    def preferences(self) -> Preferences:
        """Theme and notifications as chosen last time (defaults when never chosen)."""
        s = self._settings
        theme = str(s.value("ui/theme", "system"))
        notify = s.value("ui/notify_failed_jobs")
        return Preferences(
            theme if theme in ("system", "light", "dark") else "system",
            True if notify is None else _flag(notify),
        )

    def save_preferences(self, preferences: Preferences) -> None:
        """Remember the theme and notification choice."""
        self._settings.setValue("ui/theme", preferences.theme)
        self._settings.setValue("ui/notify_failed_jobs", preferences.notify_failed_jobs)
        self._settings.sync()

    def last_panel(self) -> str:
        """The panel shown when the app last closed ("" when unknown)."""
        return str(self._settings.value("ui/last_panel", ""))

    def save_last_panel(self, title: str) -> None:
        """Remember the panel shown."""
        self._settings.setValue("ui/last_panel", title)

    def table_state(self, name: str) -> QByteArray | None:
        """A table's saved columns and sort (DataTable.save_state), if any."""
        value = self._settings.value(f"tables/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_table_state(self, name: str, state: QByteArray) -> None:
        """Remember a table's columns and sort."""
        self._settings.setValue(f"tables/{name}", state)

    def graph_range(self, name: str) -> str:
        """A graph's chosen time range key ("10m", "1h", ...; "" when never chosen)."""
        return str(self._settings.value(f"graphs/{name}", ""))

    def save_graph_range(self, name: str, key: str) -> None:
        """Remember a graph's time range."""
        self._settings.setValue(f"graphs/{name}", key)

    def sync(self) -> None:
        """Write pending values now."""
        self._settings.sync()


def _flag(value: object) -> bool:
    # The INI backend hands booleans back as the strings "true"/"false".
    return value is True or str(value).lower() == "true"
