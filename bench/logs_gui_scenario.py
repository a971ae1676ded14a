"""`python -m bench.logs_gui_scenario ...`: the Logs panel's frame time and memory while lines
pour in (the bench process sends them to the server over IngestLogs meanwhile).

ours (--server ADDR --token-file F): the real app connected to that server, on the Logs panel
with its default query `{}`: the live tail (table bounded at 50,000 rows) and the live graphs.
Records every frame (bench/gui_probe.py) for --seconds once lines flow, and the app's RSS every
10 s. --reference: a bare QMainWindow of the same size with a PlotWidget of the same stacked bars
(4 levels x 30 buckets, set once a second) over a bare QTableView appended with the same number
of rows a second (10 times a second, bounded the same, scrolled to the end): what Qt and
pyqtgraph cost on their own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import sys
import time
from collections import deque
from typing import Any

import numpy as np
import pyqtgraph as pg
import qasync
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTableView

from bench.gui_probe import FrameProbe, report, rss_mb
from bench.gui_scenario import _summary, _wait
from bench.gui_startup import WINDOW_SIZE, qt_application

WARM_UP_SECONDS = 5.0  # the replay and the first graph are not the steady state
RSS_EVERY_SECONDS = 10.0
CAPACITY = 50_000  # the Logs table's bound (models/log_table_model.py)
LEVELS = ("debug", "info", "warn", "error")
BUCKETS = 30  # 15 min in 30 s steps, the panel's default range
BRUSHES = ("#8a8f98", "#1a73e8", "#f29900", "#d93025")  # a colour per level, as the panel


async def _record(probe: FrameProbe, seconds: float, received: list[int]) -> dict[str, Any]:
    """Record frames for `seconds`; the RSS every RSS_EVERY_SECONDS; lines received per s."""
    rss: list[float] = []
    probe.start()
    started, before, cpu = time.monotonic(), received[0], time.process_time()
    while (elapsed := time.monotonic() - started) < seconds:
        rss.append(round(rss_mb(), 1))
        await asyncio.sleep(min(RSS_EVERY_SECONDS, seconds - elapsed))
    probe.stop()
    elapsed = time.monotonic() - started
    return {
        **_summary(probe),
        "cpu_share": (time.process_time() - cpu) / elapsed,  # of one core
        "seconds": elapsed,
        "lines_per_second": (received[0] - before) / elapsed,
        "rss_gui": rss_mb(),
        "rss_samples": rss,
    }


async def _ours(args: argparse.Namespace) -> dict[str, Any]:
    from clustergenie_gui.app import Application, parse_args
    from clustergenie_gui.client.logs_types import LogRow

    application = Application(
        parse_args(["--log-level", "WARNING", "--server", args.server,
                    "--token-file", args.token_file])
    )  # fmt: skip
    probe = FrameProbe(application.window)
    running = asyncio.ensure_future(application.run())
    await _wait(lambda: application.connection.state.value == "connected", 60, "connected")
    application.window.show_panel("Logs")
    model = application.logs.model
    received = [0]

    def count(_parent: object, first: int, last: int) -> None:
        received[0] += sum(isinstance(model.row_at(i), LogRow) for i in range(first, last + 1))

    model.rowsInserted.connect(count)
    await _wait(lambda: received[0] > 1000, 60, "lines arriving in the tail")
    await asyncio.sleep(WARM_UP_SECONDS)
    result = await _record(probe, args.seconds, received)
    result["rows_shown"] = model.rowCount()
    application.window.close()
    await running
    return result


class _BareModel(QAbstractTableModel):
    """The least a bounded table of lines can be: a deque, four columns, text only."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: deque[tuple[str, str, str, str]] = deque()

    def append(self, rows: list[tuple[str, str, str, str]]) -> None:
        overflow = len(self.rows) + len(rows) - CAPACITY
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            for _ in range(overflow):
                self.rows.popleft()
            self.endRemoveRows()
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return self.rows[index.row()][index.column()]
        return None


async def _reference(args: argparse.Namespace) -> dict[str, Any]:
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    plot = pg.PlotWidget()
    bars = []
    for i, _level in enumerate(LEVELS):
        bar = pg.BarGraphItem(x=[], height=[], width=1, brush=BRUSHES[i], pen=None)
        plot.addItem(bar)
        bars.append(bar)
    model = _BareModel()
    table = QTableView()
    table.setModel(model)
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(plot)
    split.addWidget(table)
    window.setCentralWidget(split)
    per_tick = max(1, round(args.rate / 10))
    received, seq = [0], [0]
    counts = np.zeros((len(LEVELS), BUCKETS))
    rng = np.random.default_rng(5)

    def lines() -> None:
        """A tenth of a second of lines, as the tail would hand them over."""
        now = time.time()
        start = seq[0]
        rows = [
            (f"{now:.3f}", LEVELS[(start + k) % 4], f"d{(start + k) % 6}",
             f"method=GET path=/api/orders status=200 latency={k % 900}ms request_id=r{start + k}")
            for k in range(per_tick)
        ]  # fmt: skip
        seq[0] += per_tick
        model.append(rows)
        table.scrollToBottom()
        received[0] += per_tick
        counts[:, -1] += per_tick / 4

    def graph() -> None:
        """Once a second, as the live stats arrive: the stacked bars."""
        counts[:, :-1] = counts[:, 1:]
        counts[:, -1] = rng.uniform(0, 1, len(LEVELS))
        x = np.arange(BUCKETS) * 30.0
        base = np.zeros(BUCKETS)
        for bar, row in zip(bars, counts, strict=True):
            bar.setOpts(x=x + 15, height=row / 30, y0=base.copy(), width=27)
            base += row / 30

    line_timer, graph_timer = QTimer(), QTimer()
    line_timer.setInterval(100)
    line_timer.timeout.connect(lines)
    graph_timer.setInterval(1000)
    graph_timer.timeout.connect(graph)
    probe = FrameProbe(window)
    window.show()
    line_timer.start()
    graph_timer.start()
    await asyncio.sleep(WARM_UP_SECONDS)
    result = await _record(probe, args.seconds, received)
    result["rows_shown"] = model.rowCount()
    line_timer.stop()
    graph_timer.stop()
    window.close()
    return result


def main(argv: list[str] | None = None) -> int:
    """Run ours or the reference, print the result line."""
    parser = argparse.ArgumentParser(prog="bench.logs_gui_scenario")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--server", help="ours: the server's address")
    parser.add_argument("--token-file", help="ours: a file holding an operator's token")
    parser.add_argument("--seconds", type=float, default=60.0, help="recorded wall seconds")
    parser.add_argument("--rate", type=float, default=5000.0, help="reference: lines/s")
    parser.add_argument("--profile", help="write cProfile stats of this child to this file")
    args = parser.parse_args(argv)
    profiler = cProfile.Profile() if args.profile else None
    app: QApplication = qt_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop, profiler or contextlib.nullcontext():
        run = _reference if args.reference else _ours
        result = loop.run_until_complete(run(args))
    if profiler is not None:
        profiler.dump_stats(args.profile)
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
