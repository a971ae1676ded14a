"""HealthAdminViewModel: the async work of the Maintenance windows and Notification channels
dialogs (list, add, delete, and the delivery log)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.health_admin_client import (
    AlertSummary,
    Channel,
    Delivery,
    HealthAdminClient,
    Maintenance,
)


class HealthAdminViewModel(QObject):
    """Owns the maintenance windows, the channels and the delivery log shown by the dialogs.

    Signals:
        windows_changed(list): every Maintenance window, after a load, an add or a delete.
        window_error(str): the server's message for a refused window call ("" clears it).
        window_added(int): the id of a window just stored.
        maintenance_changed(): a window was added or removed (the latency graph re-reads).
        channels_changed(list): every Channel, after a load, an add or a delete.
        channel_error(str): the server's message for a refused channel call ("" clears it).
        channel_added(int): the id of a channel just stored.
        alerts_changed(list): every AlertSummary, newest first (the delivery log's filter).
        deliveries_changed(list): the Delivery entries of the alert asked for, newest first.
    """

    windows_changed = Signal(list)
    window_error = Signal(str)
    window_added = Signal(int)
    maintenance_changed = Signal()
    channels_changed = Signal(list)
    channel_error = Signal(str)
    channel_added = Signal(int)
    alerts_changed = Signal(list)
    deliveries_changed = Signal(list)

    def __init__(self, client: HealthAdminClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.windows: list[Maintenance] = []
        self.channels: list[Channel] = []
        self.alerts: list[AlertSummary] = []
        self.deliveries: list[Delivery] = []

    # -- maintenance windows -----------------------------------------------------------------
    @asyncSlot()
    async def load_windows(self) -> None:
        """Read every maintenance window."""
        try:
            windows = await self._client.windows()
        except ClientError as error:
            self.window_error.emit(error.message)
        else:
            self.windows = windows
            self.windows_changed.emit(windows)

    @asyncSlot(object)
    async def add_window(self, window: Maintenance) -> None:
        """Store a window, then list them again."""
        self.window_error.emit("")
        try:
            window_id = await self._client.add_window(window)
        except ClientError as error:
            self.window_error.emit(error.message)
        else:
            self.window_added.emit(window_id)
            self.maintenance_changed.emit()
            await self.load_windows()

    @asyncSlot(int)
    async def delete_window(self, window_id: int) -> None:
        """Remove a window, then list them again."""
        self.window_error.emit("")
        try:
            await self._client.delete_window(window_id)
        except ClientError as error:
            self.window_error.emit(error.message)
        else:
            self.maintenance_changed.emit()
            await self.load_windows()

    # -- channels and the delivery log -------------------------------------------------------
    @asyncSlot()
    async def load_channels(self) -> None:
        """Read every channel and every alert (the delivery log's filter)."""
        try:
            channels = await self._client.channels()
            alerts = await self._client.alerts()
        except ClientError as error:
            self.channel_error.emit(error.message)
        else:
            self.channels, self.alerts = channels, alerts
            self.channels_changed.emit(channels)
            self.alerts_changed.emit(alerts)

    @asyncSlot(object)
    async def add_channel(self, channel: Channel) -> None:
        """Store a channel, then list them again."""
        self.channel_error.emit("")
        try:
            channel_id = await self._client.add_channel(channel)
        except ClientError as error:
            self.channel_error.emit(error.message)
        else:
            self.channel_added.emit(channel_id)
            await self.load_channels()

    @asyncSlot(int)
    async def delete_channel(self, channel_id: int) -> None:
        """Remove a channel, then list them again."""
        self.channel_error.emit("")
        try:
            await self._client.delete_channel(channel_id)
        except ClientError as error:
            self.channel_error.emit(error.message)
        else:
            await self.load_channels()

    @asyncSlot(int)
    async def load_deliveries(self, alert_id: int) -> None:
        """The delivery log of one alert (0: every alert)."""
        try:
            deliveries = await self._client.deliveries(alert_id)
        except ClientError as error:
            self.channel_error.emit(error.message)
        else:
            self.deliveries = deliveries
            self.deliveries_changed.emit(deliveries)
