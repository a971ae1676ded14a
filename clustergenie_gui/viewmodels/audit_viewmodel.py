"""AuditViewModel: loads the server's audit log (who did what, and how it ended) for admins."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.protocols import AuditApi
from clustergenie_gui.models.audit_table_model import AuditTableModel

# What one load shows: the server's own default page.
PAGE = 200


class AuditViewModel(QObject):
    """Holds the newest audit entries, optionally of one caller and one call.

    Signals:
        loaded(int): how many entries the last load found.
        busy_changed(bool): a load started (True) or ended (False).
        error(str): the server's message for a failed load; "" clears it.
    """

    loaded = Signal(int)
    busy_changed = Signal(bool)
    error = Signal(str)

    def __init__(self, client: AuditApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.entries = AuditTableModel(self)
        self.busy = False

    @asyncSlot(str, str)
    async def load(self, caller: str = "", method: str = "") -> None:
        """Replace the rows with the newest entries matching caller and method ("" = any)."""
        if self.busy:
            return
        self.busy = True
        self.busy_changed.emit(True)
        self.error.emit("")
        try:
            entries = await self._client.list_audit_entries(
                limit=PAGE, caller=caller.strip(), method=method.strip()
            )
        except ClientError as error:
            self.error.emit(error.message)
        else:
            self.entries.clear()
            self.entries.upsert_many(entries)
            self.loaded.emit(len(entries))
        finally:
            self.busy = False
            self.busy_changed.emit(False)
