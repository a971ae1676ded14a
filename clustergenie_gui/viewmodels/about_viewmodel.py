"""AboutViewModel: the versions of the app and of the server it is connected to."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError, ClusterGenieClient
from clustergenie_gui.client.info_types import ServerInfo
from clustergenie_gui.versions import app_versions


class AboutViewModel(QObject):
    """Asks the connected server for its versions when the About box opens.

    Signals:
        server_info_changed(object): the server's ServerInfo, or None when it is unknown.
        error(str): why the server's versions are unknown ("" once they are known).
    """

    server_info_changed = Signal(object)
    error = Signal(str)

    def __init__(self, client: ClusterGenieClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.versions = app_versions()
        self.server_info: ServerInfo | None = None

    @asyncSlot()
    async def load(self) -> None:
        """Ask the server for its versions (a connection error leaves them unknown)."""
        try:
            info = await self._client.get_server_info()
        except ClientError as error:
            self.error.emit(
                "Not connected to a server." if error.is_connection_error else error.message
            )
            info = None
        else:
            self.error.emit("")
        if info != self.server_info:
            self.server_info = info
            self.server_info_changed.emit(info)
