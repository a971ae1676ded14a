"""TrayNotifier: a system notification (tray balloon) for failed jobs, and later alerts.

API: notifier = TrayNotifier(icon, parent); notifier.set_enabled(False) turns it off (Settings);
notifier.notify(title, message) shows one when enabled; notifier.job_failed(job) is the slot
for JobsViewModel.job_failed. notifier.shown lists (title, message) shown, newest last.
Where the platform has no tray, nothing is shown but `shown` still records (and the log).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from clustergenie_gui.client.types import Job

log = logging.getLogger(__name__)


class TrayNotifier(QObject):
    """Shows notifications through one tray icon (made on first use)."""

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._enabled = True
        self._tray: QSystemTrayIcon | None = None
        self.shown: list[tuple[str, str]] = []

    @property
    def enabled(self) -> bool:
        """Whether notifications are shown."""
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Turn notifications on or off (the tray icon goes with them)."""
        self._enabled = enabled
        if not enabled and self._tray is not None:
            self._tray.hide()

    def notify(self, title: str, message: str) -> None:
        """Show a notification, when enabled."""
        if not self._enabled:
            return
        self.shown.append((title, message))
        log.info("notification: %s: %s", title, message)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            self._tray = QSystemTrayIcon(self._icon, self)
            self._tray.setToolTip("ClusterGenie")
        self._tray.show()
        self._tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Warning, 8000)

    def job_failed(self, job: Job) -> None:
        """Announce a failed job: what, on what, and why."""
        target = job.target_name or "—"
        reason = f": {job.error}" if job.error else ""
        self.notify(f"Job #{job.id} failed", f"{job.kind.label} of {target}{reason}")
