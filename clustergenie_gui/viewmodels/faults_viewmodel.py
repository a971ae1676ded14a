"""FaultsViewModel: inject, list and clear simulated faults (the Faults menu's demos)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.protocols import TelemetryApi
from clustergenie_gui.client.types import Fault, FaultKind


class FaultsViewModel(QObject):
    """Injects faults and keeps the list of scheduled and active ones.

    Signals:
        faults_changed(list): the scheduled and active Faults, after each refresh.
        fault_injected(object): the Fault the server created.
        error(str): the server's message for a failed request; "" clears it.
    """

    faults_changed = Signal(list)
    fault_injected = Signal(object)
    error = Signal(str)

    def __init__(self, client: TelemetryApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._faults: list[Fault] = []

    @property
    def faults(self) -> list[Fault]:
        """The scheduled and active faults from the last refresh."""
        return list(self._faults)

    @asyncSlot(str, int, int, float, float)
    async def inject(
        self, kind: str, cluster_id: int, droplet_id: int, magnitude: float, duration_seconds: float
    ) -> None:
        """Inject a fault (droplet_id 0: the whole cluster; zeros take the defaults)."""
        self.error.emit("")
        try:
            fault = await self._client.inject_fault(
                FaultKind(kind),
                cluster_id,
                droplet_id,
                magnitude,
                duration_seconds=duration_seconds,
            )
        except ClientError as error:
            self.error.emit(error.message)
        else:
            self.fault_injected.emit(fault)
            await self._refresh()

    @asyncSlot()
    async def refresh(self) -> None:
        """Reload the scheduled and active faults."""
        await self._refresh()

    @asyncSlot(int)
    async def clear(self, fault_id: int) -> None:
        """End a fault now."""
        self.error.emit("")
        try:
            await self._client.clear_fault(fault_id)
        except ClientError as error:
            self.error.emit(error.message)
        await self._refresh()

    async def _refresh(self) -> None:
        try:
            faults = await self._client.list_faults()
        except ClientError as error:
            self.error.emit(error.message)
        else:
            if faults != self._faults:
                self._faults = faults
            # Always emit: a dialog opened after the last change still wants the list.
            self.faults_changed.emit(self.faults)
