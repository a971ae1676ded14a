"""LogsViewModel: the Logs panel's async work: the live tail, the live stats, searches of older
lines, a jump to a moment, patterns and label completion. No widgets here.

Signals:
    query_error(str): the server's message for a query that does not parse ("" when fixed).
    paused_count_changed(int): lines that arrived while paused (0 when following).
    following_changed(bool): True while the table follows the tail.
    stats_changed(): the stats buffer changed.
    patterns_changed(list): [LogPattern, ...] of the current window.
    labels_changed(dict): {label name: [values]} for completion.
    jumped(float): the table now shows the lines around this moment (simulated seconds).
    busy_changed(bool): a search (older lines, a jump) is running.
    status_changed(str): a short status for people (errors of streams included).
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.logs_client import LogsApi
from clustergenie_gui.client.logs_types import GapRow, LogRow, ReplayComplete
from clustergenie_gui.models.log_stats_buffer import LogStatsBuffer
from clustergenie_gui.models.log_table_model import LogTableModel, time_text
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.viewmodels.stream_runner import StreamRunner

DEFAULT_QUERY = "{}"
MAX_HISTORY = 50
MAX_HELD_WHILE_PAUSED = 50_000
# The tail's batches reach the table at most this often: at 5,000 lines/s they arrive ~30
# times a second, and each append re-lays the view, scrolls it and repaints it.
APPEND_EVERY_MS = 100
# Bucket widths the stats are asked for: the smallest giving at most MAX_BUCKETS bars, so a
# range of the shared picker (10 min ... 24 h, or custom) keeps bars a few pixels wide.
STEPS = (10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0)
MAX_BUCKETS = 100
JUMP_LINES = 2000  # a click on a spike shows at most the newest this many lines of its bucket


def step_for(range_seconds: float) -> float:
    """The stats' bucket width for a range: 10 min -> 10 s, 1 h -> 60 s, 24 h -> 900 s."""
    return next((s for s in STEPS if range_seconds / s <= MAX_BUCKETS), STEPS[-1])


class LogsViewModel(QObject):
    """Owns the tail table model and the stats buffer; the panel binds to them."""

    query_error = Signal(str)
    paused_count_changed = Signal(int)
    following_changed = Signal(bool)
    stats_changed = Signal()
    patterns_changed = Signal(list)
    labels_changed = Signal(dict)
    jumped = Signal(float)
    busy_changed = Signal(bool)
    status_changed = Signal(str)

    def __init__(self, client: LogsApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.model = LogTableModel(parent=self)
        self.query = DEFAULT_QUERY
        self.history: list[str] = []
        self.range_seconds = 600.0  # the shared picker's first range (graph_tools.RANGES)
        self.stats = LogStatsBuffer()
        self.stats.window_seconds = self.range_seconds
        self.following = True
        self._held: deque[LogRow | GapRow] = deque(maxlen=MAX_HELD_WHILE_PAUSED)
        self._held_count = 0
        self._pending: list[LogRow | GapRow] = []  # arrived, not yet in the table
        self._append_timer = QTimer(self)
        self._append_timer.setSingleShot(True)
        self._append_timer.setInterval(APPEND_EVERY_MS)
        self._append_timer.timeout.connect(self._append_pending)
        self._connected = False
        self._tail = StreamRunner("log tail", self._consume_tail, self._on_stream_error)
        self._stats = StreamRunner("log stats", self._consume_stats, self._on_stream_error)

    # ------------------------------------------------------------------ inputs
    def _on_connection_changed(self, state: str, _message: str) -> None:
        self._connected = state == ConnectionState.CONNECTED
        if self._connected:
            self._restart()
            self.refresh_labels()
        else:
            self.stop()

    def stop(self) -> None:
        """Stop both streams."""
        self._tail.stop()
        self._stats.stop()

    def set_query(self, text: str) -> None:
        """Follow a new query (both streams restart); kept in the history."""
        text = text.strip() or DEFAULT_QUERY
        if text in self.history:
            self.history.remove(text)
        self.history.insert(0, text)
        del self.history[MAX_HISTORY:]
        self.query = text
        self.query_error.emit("")
        self._pending.clear()
        self.model.replace([])
        self.stats.clear()
        self.stats_changed.emit()
        if self._connected:
            self._restart()

    def set_range(self, seconds: float) -> None:
        """The graph's time range (its step follows)."""
        if seconds != self.range_seconds:
            self.range_seconds = seconds
            self.stats.window_seconds = seconds
            self.stats.clear()
            if self._connected:
                self._stats.stop()
                self._stats.start()

    def set_following(self, following: bool) -> None:
        """Follow (held lines are shown) or pause (new lines are held and counted)."""
        if following == self.following:
            return
        self._append_pending()  # what arrived while following shows before the pause
        self.following = following
        if following:
            self.model.append(list(self._held))
            self._held.clear()
            self._held_count = 0
            self.paused_count_changed.emit(0)
        self.following_changed.emit(following)

    def _restart(self) -> None:
        self._tail.stop()
        self._stats.stop()
        self._tail.start()
        self._stats.start()

    # ------------------------------------------------------------------ streams
    async def _consume_tail(self) -> None:
        now = await self._client.now()
        async for batch in self._client.tail(self.query, since=now - self.range_seconds):
            rows: list[LogRow | GapRow] = [x for x in batch if not isinstance(x, ReplayComplete)]
            if len(rows) != len(batch):
                self._tail.healthy()
            if not rows:
                continue
            if self.following:
                self._pending.extend(rows)
                if not self._append_timer.isActive():
                    self._append_timer.start()
            else:
                self._held.extend(rows)
                self._held_count += sum(1 for r in rows if isinstance(r, LogRow))
                self.paused_count_changed.emit(self._held_count)

    def _append_pending(self) -> None:
        rows, self._pending = self._pending, []
        if rows:
            self.model.append(rows)

    async def _consume_stats(self) -> None:
        now = await self._client.now()
        step = step_for(self.range_seconds)
        async for update in self._client.stats(self.query, now - self.range_seconds, step):
            self.stats.apply(update)
            self._stats.healthy()
            self.stats_changed.emit()

    def _on_stream_error(self, error: ClientError) -> None:
        if error.code == "INVALID_ARGUMENT":
            self.stop()
            self.query_error.emit(error.message)
        else:
            self.status_changed.emit(f"Logs: {error.message}")

    # ------------------------------------------------------------------ searches
    @asyncSlot(float)
    async def jump_to(self, t: float) -> None:
        """Pause and show the lines of the bucket holding t (a click on a spike)."""
        start, _ = self.stats.at(t)
        step = self.stats.step
        self.set_following(False)
        self.busy_changed.emit(True)
        try:
            rows: list[LogRow] = []
            async for page in self._client.search(
                self.query, start, start + step, limit=JUMP_LINES
            ):
                rows.extend(page)
        except ClientError as error:
            self.status_changed.emit(f"Logs: {error.message}")
        else:
            rows.reverse()  # oldest first, as the table shows them
            self.model.replace(rows)
            moment = f"{time_text(start)[:8]}–{time_text(start + step)[:8]}"
            self.status_changed.emit(
                f"The newest {len(rows):,} lines of {moment}; Load older pages in the rest"
                if len(rows) >= JUMP_LINES
                else f"{len(rows):,} lines of {moment}"
            )
            self.jumped.emit(start)
        finally:
            self.busy_changed.emit(False)

    @asyncSlot()
    async def load_older(self) -> None:
        """Page in the lines before the oldest shown (the window stays responsive)."""
        oldest = self.model.oldest_line()
        before = (oldest.t, oldest.seq) if oldest is not None else None
        end = oldest.t if oldest is not None else time.time()
        self.busy_changed.emit(True)
        try:
            async for page in self._client.search(self.query, 0.0, end, limit=500, before=before):
                self.model.prepend(list(reversed(page)))
        except ClientError as error:
            self.status_changed.emit(f"Logs: {error.message}")
        finally:
            self.busy_changed.emit(False)

    @asyncSlot()
    async def refresh_patterns(self) -> None:
        """Patterns of the graph's range; "new" means first seen in its last quarter."""
        try:
            now = await self._client.now()
            start = now - self.range_seconds
            patterns = await self._client.patterns(self.query, start, now)
        except ClientError as error:
            self.status_changed.emit(f"Logs: {error.message}")
        else:
            self.patterns_changed.emit(patterns)

    @asyncSlot()
    async def refresh_labels(self) -> None:
        """Fetch label names and values for the query bar's completion."""
        try:
            labels = await self._client.labels()
        except ClientError:
            return  # completion is a convenience
        self.labels_changed.emit(labels)
