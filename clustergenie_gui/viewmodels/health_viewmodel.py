"""HealthViewModel: the status grid's rows, the add-check form's async work, live updates."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.health_client import CheckForm, HealthClient, TargetHealth, Uptime
from clustergenie_gui.models.health_model import unhealthy_count


class HealthViewModel(QObject):
    """Owns the health rows and every health RPC of the desktop app.

    Signals:
        rows_changed(list): every TargetHealth row, after a load or a live change.
        unhealthy_changed(int): how many targets are unhealthy (emitted when it changes).
        conditions_checked(str, int): the parse error and its column ("" and 0 when valid).
        check_created(int): the id of a check the form created.
        form_error(str): the server's message for a refused check ("" clears it).
        notice(str): a transition or alert to show in the status bar.
        uptime_loaded(object): the Uptime of the selected target.
        check_loaded(int, object, bool): a check's id, its CheckForm and whether it is paused.
        check_changed(int): a check was updated, paused, resumed, run or deleted.
    """

    rows_changed = Signal(list)
    unhealthy_changed = Signal(int)
    conditions_checked = Signal(str, int)
    check_created = Signal(int)
    form_error = Signal(str)
    notice = Signal(str)
    uptime_loaded = Signal(object)
    check_loaded = Signal(int, object, bool)
    check_changed = Signal(int)

    def __init__(self, client: HealthClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.rows: dict[tuple[int, str], TargetHealth] = {}
        self._unhealthy = -1
        self._watch: asyncio.Task[None] | None = None
        self._uptime_key: tuple[int, str] | None = None  # the target whose uptime is shown
        # Live results change latency and last-result text many times a second: the grid is
        # redrawn at most twice a second, whatever the rate.
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(500)
        self._redraw.timeout.connect(self._emit_rows)

    def _set_rows(self, rows: list[TargetHealth]) -> None:
        self.rows = {(r.check_id, r.target): r for r in rows}
        self._emit_rows()

    def _emit_rows(self) -> None:
        rows = list(self.rows.values())
        self.rows_changed.emit(rows)
        count = unhealthy_count(rows)
        if count != self._unhealthy:
            self._unhealthy = count
            self.unhealthy_changed.emit(count)

    @asyncSlot()
    async def load(self) -> None:
        """Read every target's status."""
        try:
            rows = await self._client.status()
        except ClientError as error:
            self.notice.emit(f"Health: {error.message}")
        else:
            self._set_rows(rows)

    @asyncSlot(str)
    async def check_conditions(self, text: str) -> None:
        """Parse conditions on the server; the editor shows the error at its column."""
        try:
            error, column = await self._client.validate_conditions(text)
        except ClientError as exc:
            error, column = exc.message, 0
        self.conditions_checked.emit(error, column)

    @asyncSlot(object)
    async def create_check(self, form: CheckForm) -> None:
        """Create a check from the form, then reload the grid."""
        self.form_error.emit("")
        try:
            check_id = await self._client.create_check(form)
        except ClientError as error:
            self.form_error.emit(error.message)
        else:
            self.check_created.emit(check_id)
            await self.load()

    @asyncSlot(int)
    async def load_check(self, check_id: int) -> None:
        """Read a check into the form (to edit it)."""
        try:
            form, paused = await self._client.get_check(check_id)
        except ClientError as error:
            self.form_error.emit(error.message)
        else:
            self.check_loaded.emit(check_id, form, paused)

    @asyncSlot(int, object)
    async def update_check(self, check_id: int, form: CheckForm) -> None:
        """Save the form over an existing check."""
        self.form_error.emit("")
        try:
            await self._client.update_check(check_id, form)
        except ClientError as error:
            self.form_error.emit(error.message)
        else:
            self.check_changed.emit(check_id)
            await self.load()

    @asyncSlot(int)
    async def run_now(self, check_id: int) -> None:
        """Probe a check's targets now."""
        try:
            count = await self._client.run_now(check_id)
        except ClientError as error:
            self.notice.emit(f"Run now: {error.message}")
        else:
            self.notice.emit(f"Check {check_id}: {count} result(s)")
            self.check_changed.emit(check_id)
            await self.load()

    @asyncSlot(int, bool)
    async def set_paused(self, check_id: int, paused: bool) -> None:
        """Pause or resume a check."""
        try:
            await self._client.set_paused(check_id, paused)
        except ClientError as error:
            self.notice.emit(f"Pause: {error.message}")
        else:
            self.notice.emit(f"Check {check_id} {'paused' if paused else 'resumed'}")
            self.check_changed.emit(check_id)

    @asyncSlot(int)
    async def delete_check(self, check_id: int) -> None:
        """Delete a check."""
        try:
            await self._client.delete_check(check_id)
        except ClientError as error:
            self.notice.emit(f"Delete: {error.message}")
        else:
            self.check_changed.emit(check_id)
            await self.load()

    @asyncSlot(int, str)
    async def load_uptime(self, check_id: int, target: str) -> None:
        """Uptime figures and latency series of one target."""
        self._uptime_key = (check_id, target)
        try:
            figures: Uptime = await self._client.uptime(check_id, target)
        except ClientError as error:
            self.notice.emit(f"Health: {error.message}")
        else:
            self.uptime_loaded.emit(figures)

    def reload_uptime(self) -> None:
        """Read the shown target's uptime again (e.g. after a maintenance window changed)."""
        if self._uptime_key is not None:
            self.load_uptime(*self._uptime_key)

    def _on_connection_changed(self, state: str, _message: str) -> None:
        """Load and follow while connected; stop the stream otherwise."""
        if state == "connected":
            self.load()
            self.start_watching()
        elif self._watch is not None:
            self._watch.cancel()

    def stop(self) -> None:
        """Stop the stream (at shutdown)."""
        if self._watch is not None:
            self._watch.cancel()

    def start_watching(self) -> None:
        """Follow live results, transitions and alerts until stop_watching()."""
        if self._watch is None or self._watch.done():
            self._watch = asyncio.ensure_future(self._follow())

    async def stop_watching(self) -> None:
        """End the live stream."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError, ClientError):
                await self._watch

    async def _follow(self) -> None:
        try:
            async for event in self._client.watch():
                if event.row is not None:
                    self.rows[(event.row.check_id, event.row.target)] = event.row
                elif event.result is not None:
                    check_id, target, location, latency, text = event.result
                    row = self.rows.get((check_id, target))
                    # The row follows one location's latency (a graph of all of them would
                    # jump between regions); state changes come as transitions.
                    if row is not None and location in (row.location, ""):
                        self.rows[(check_id, target)] = replace(
                            row, latency_ms=latency, last_reason=text
                        )
                        if not self._redraw.isActive():
                            self._redraw.start()
                elif event.snapshot_complete:
                    self._emit_rows()
                elif event.transition or event.alert:
                    self.notice.emit(event.alert or event.transition)
                    await self.load()  # the rows of the changed targets, with their last result
        except ClientError as error:
            self.notice.emit(f"Health stream ended: {error.message}")
